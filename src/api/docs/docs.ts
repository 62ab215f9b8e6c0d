import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { withErrorAnswers } from './error-answers';
import { documentValidationRules, withClosedInputs, withPathParameterRules } from './validation-rules';

/** swagger-ui-dist comes with @nestjs/swagger; resolved from there so that hoisting does not matter. */
const swaggerUiDir = (): string =>
  dirname(
    require.resolve('swagger-ui-dist/package.json', { paths: [dirname(require.resolve('@nestjs/swagger'))] }),
  );

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Registre API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: '/docs-json',
      dom_id: '#swagger-ui',
      persistAuthorization: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;

/**
 * OpenAPI at /docs-json and the Swagger UI at /docs, both public. The UI's files are served here
 * rather than through SwaggerModule's static serving, which needs @fastify/static.
 */
export function setupDocs(app: NestFastifyApplication, version: string): void {
  documentValidationRules();
  const built = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Registre')
      .setDescription(
        'Event-sourced vie scolaire engine. Every route but /health and /docs needs a bearer JWT; ' +
          'command answers carry a global `position` that queries accept as `?minPosition=` (read-your-writes).',
      )
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  const document = withErrorAnswers(withPathParameterRules(withClosedInputs(built)));
  SwaggerModule.setup('docs', app, document, { ui: false, raw: ['json'], jsonDocumentUrl: 'docs-json' });
  const fastify = app.getHttpAdapter().getInstance();
  const assetsDir = swaggerUiDir();
  fastify.get('/docs', (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  for (const [file, type] of Object.entries(ASSETS)) {
    fastify.get(`/docs/${file}`, (_request, reply) =>
      reply
        .type(type)
        .header('Cache-Control', 'public, max-age=86400')
        .send(createReadStream(join(assetsDir, file))),
    );
  }
}
