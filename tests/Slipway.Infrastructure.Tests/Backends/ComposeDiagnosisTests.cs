using Slipway.Infrastructure.Backends.Compose;

namespace Slipway.Infrastructure.Tests.Backends;

public sealed class ComposeDiagnosisTests
{
    [Fact]
    public void Identical_health_check_outputs_are_shown_once_with_a_count()
    {
        const string State = """
            {"Status":"running","Running":true,"ExitCode":0,"Health":{"Status":"unhealthy","FailingStreak":5,"Log":[
              {"ExitCode":0,"Output":""},
              {"ExitCode":1,"Output":"wget: server returned error: HTTP/1.1 500 Internal Server Error\n"},
              {"ExitCode":1,"Output":"wget: server returned error: HTTP/1.1 500 Internal Server Error\n"},
              {"ExitCode":1,"Output":"wget: server returned error: HTTP/1.1 500 Internal Server Error\n"},
              {"ExitCode":1,"Output":"wget: can't connect to remote host (127.0.0.1): Connection refused\n"}]}}
            """;

        Assert.Equal(
            [
                "health check exit 0: (no output)",
                "health check exit 1 (3 times): wget: server returned error: HTTP/1.1 500 Internal Server Error",
                "health check exit 1: wget: can't connect to remote host (127.0.0.1): Connection refused",
            ],
            ComposeDiagnosis.StateLines(State));
    }

    [Fact]
    public void An_exited_container_shows_its_exit_code_and_not_the_health_checks_from_before_it_stopped()
    {
        const string State = """
            {"Status":"exited","Running":false,"ExitCode":3,"OOMKilled":false,"Error":"","Health":{"Status":"unhealthy","Log":[
              {"ExitCode":0,"Output":"ok"},{"ExitCode":0,"Output":"ok"},{"ExitCode":0,"Output":"ok"}]}}
            """;

        Assert.Equal(["exit code 3"], ComposeDiagnosis.StateLines(State));
    }

    [Fact]
    public void An_out_of_memory_kill_is_named()
    {
        Assert.Equal(["exit code 137 (killed: out of memory)"], ComposeDiagnosis.StateLines("""{"Running":false,"ExitCode":137,"OOMKilled":true,"Error":""}"""));
    }
}
