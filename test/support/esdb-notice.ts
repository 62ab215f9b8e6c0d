/**
 * Jest global teardown: says, next to the summary, whether the EventStoreDB contract suite ran.
 * A suite whose only test is skipped prints nothing of its own in jest's default reporter.
 */
export default function esdbNotice(): void {
  const line = process.env.REGISTRE_ESDB_URL
    ? `EventStoreDB contract tests ran against ${process.env.REGISTRE_ESDB_URL}`
    : 'EventStoreDB contract tests SKIPPED: REGISTRE_ESDB_URL is not set (e.g. REGISTRE_ESDB_URL=esdb://localhost:2113?tls=false npm test)';
  process.stderr.write(`\n${line}\n`);
}
