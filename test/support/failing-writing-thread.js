'use strict';
// A writing thread that cannot start (as one that cannot open the store's file): for the store's specs.
throw new Error('disk I/O error opening the file');
