using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Logging;
using Slipway.Infrastructure.Processes;

namespace Slipway.Infrastructure.Tests.Processes;

public sealed class LoggingProcessRunnerTests : IDisposable
{
    private const string Secret = "hunter2-secret-token";
    private readonly TempWorkspace _workspace = new();
    private readonly FakeProcessRunner _inner = new();

    public void Dispose() => _workspace.Dispose();

    private string RunLogged(Func<LoggingProcessRunner, FileCommandLog, Task> work)
    {
        string path;
        using (var log = FileCommandLog.ForCommand(_workspace.Combine(".slipway", "logs"), "start"))
        {
            path = log.Path;
            work(new LoggingProcessRunner(_inner, log), log).GetAwaiter().GetResult();
        }

        return File.ReadAllText(path);
    }

    private static string[] Events(string log) =>
        [.. log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.IndexOf(' ') + 1)..])];

    [Fact]
    public void Every_command_its_output_and_its_exit_land_in_the_log_in_order()
    {
        _inner.On("docker", "compose", "up").Returns(0, "Container web  Started\n", "pulling\n");
        _inner.On("docker", "compose", "ps").Returns(1, "", "daemon gone\n");

        var log = RunLogged(async (runner, _) =>
        {
            await runner.RunAsync(new ProcessSpec("docker", ["compose", "up", "--detach"]));
            await runner.RunAsync(new ProcessSpec("docker", ["compose", "ps"]));
        });

        Assert.Equal(
            [
                "$ docker compose up --detach",
                "  out| Container web  Started",
                "  err| pulling",
                "exit 0 after 0.000s: docker compose up --detach",
                "$ docker compose ps",
                "  err| daemon gone",
                "exit 1 after 0.000s: docker compose ps",
            ],
            Events(log));
    }

    [Fact]
    public void Secrets_of_the_spec_are_redacted_in_the_command_line_and_the_output()
    {
        _inner.On("docker", "login").Returns(0, $"token {Secret} accepted\n", $"warning: {Secret} on the command line\n");

        var log = RunLogged((runner, _) => runner.RunAsync(new ProcessSpec("docker", ["login", "--password", Secret]) { Secrets = [Secret] }));

        Assert.DoesNotContain(Secret, log);
        Assert.Contains("$ docker login --password [REDACTED]", log);
        Assert.Contains("out| token [REDACTED] accepted", log);
        Assert.Contains("err| warning: [REDACTED] on the command line", log);
    }

    [Fact]
    public void Secrets_given_to_the_log_are_redacted_even_when_the_spec_does_not_name_them()
    {
        _inner.On("docker").Responds(spec =>
        {
            spec.OnStandardOutput?.Invoke($"DB_PASSWORD={Secret}");
            return new ProcessResult(spec.Display(), 0, $"DB_PASSWORD={Secret}\n", "", TimeSpan.Zero);
        });

        var log = RunLogged(async (runner, fileLog) =>
        {
            fileLog.Redact(Secret);
            await runner.RunAsync(new ProcessSpec("docker", ["compose", "config", "--env", Secret]));
        });

        Assert.DoesNotContain(Secret, log);
        Assert.Contains("out| DB_PASSWORD=[REDACTED]", log);
    }

    [Fact]
    public void The_caller_still_gets_every_line_and_the_result()
    {
        _inner.On("kubectl").Returns(3, "a\nb\n", "c\n");
        var stdout = new List<string>();
        var stderr = new List<string>();
        ProcessResult? result = null;

        RunLogged(async (runner, _) => result = await runner.RunAsync(new ProcessSpec("kubectl", ["get", "pods"]) { OnStandardOutput = stdout.Add, OnStandardError = stderr.Add }));

        Assert.Equal(["a", "b"], stdout);
        Assert.Equal(["c"], stderr);
        Assert.Equal(3, result!.ExitCode);
        Assert.Equal("a\nb\n", result.StandardOutput);
    }

    [Fact]
    public void A_command_that_cannot_start_is_noted_in_the_log_and_the_exception_propagates()
    {
        _inner.On("docker").Throws(new ToolNotFoundException("docker"));

        var log = RunLogged(async (runner, _) =>
        {
            var ex = await Assert.ThrowsAsync<ToolNotFoundException>(() => runner.RunAsync(new ProcessSpec("docker", ["compose", "up"])));
            Assert.Equal(FailureReason.PrerequisiteMissing, ex.Reason);
        });

        Assert.Contains("$ docker compose up", log);
        Assert.Contains("note: docker compose up failed: ToolNotFoundException: 'docker' could not be started", log);
    }

    [Fact]
    public void A_failure_message_holding_a_secret_is_redacted_in_the_note()
    {
        _inner.On("docker").Throws(new InvalidOperationException($"cannot use {Secret}"));

        var log = RunLogged(async (runner, _) =>
            await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(new ProcessSpec("docker", ["login"]) { Secrets = [Secret] })));

        Assert.DoesNotContain(Secret, log);
        Assert.Contains("cannot use [REDACTED]", log);
    }

    [Fact]
    public void A_timed_out_command_is_marked_in_the_log()
    {
        _inner.On("docker").TimesOut();

        var log = RunLogged((runner, _) => runner.RunAsync(new ProcessSpec("docker", ["compose", "up", "--wait"]) { Timeout = TimeSpan.FromSeconds(7) }));

        Assert.Contains("exit 137 (timed out) after 7.000s: docker compose up --wait", log);
    }
}
