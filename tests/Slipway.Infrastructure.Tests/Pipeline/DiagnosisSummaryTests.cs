using Slipway.Infrastructure.Pipeline.Stages;

namespace Slipway.Infrastructure.Tests.Pipeline;

public sealed class DiagnosisSummaryTests
{
    [Fact]
    public void The_console_summary_keeps_states_health_results_and_the_last_log_lines_of_each_troubled_service()
    {
        var logs = string.Join("\n", Enumerable.Range(1, 12).Select(i => $"    | line {i}"));
        var diagnosis = $"""
            containers of project p:
              web: p-web-1 running (unhealthy)
              db: p-db-1 exited

            service web (p-web-1): running, health unhealthy
                health check exit 1 (5 times): wget: server returned error: HTTP/1.1 500
              last 50 log lines:
            {logs}

            service db (p-db-1): exited
                exit code 3
              last 50 log lines:
                | FATAL: password authentication failed
            """;

        Assert.Equal(
            [
                "containers of project p:",
                "  web: p-web-1 running (unhealthy)",
                "  db: p-db-1 exited",
                "service web (p-web-1): running, health unhealthy",
                "    health check exit 1 (5 times): wget: server returned error: HTTP/1.1 500",
                "  last 5 log lines:",
                "    | line 8", "    | line 9", "    | line 10", "    | line 11", "    | line 12",
                "service db (p-db-1): exited",
                "    exit code 3",
                "  last 1 log lines:",
                "    | FATAL: password authentication failed",
            ],
            DiagnoseStage.Summary(diagnosis));
    }
}
