using Slipway.Infrastructure.Processes;
using Xunit.Sdk;

namespace Slipway.TestKit.Tests;

public sealed class FakeProcessRunnerTests
{
    private readonly FakeProcessRunner _runner = new();

    [Fact]
    public async Task On_matches_the_file_name_followed_by_the_leading_arguments()
    {
        _runner.On("docker", "compose").Returns(7);

        Assert.Equal(7, (await Run("docker", "compose", "up")).ExitCode);
        Assert.Equal(7, (await Run("docker", "compose")).ExitCode);
        Assert.Equal(0, (await Run("docker", "ps", "compose")).ExitCode);
        Assert.Equal(0, (await Run("kubectl", "docker", "compose")).ExitCode);
        Assert.Equal(0, (await Run("docker")).ExitCode);
    }

    [Fact]
    public async Task OnContaining_matches_a_contiguous_sequence_anywhere_in_the_argv()
    {
        _runner.OnContaining("rollout", "status").Returns(1);

        Assert.Equal(1, (await Run("kubectl", "-n", "shop", "rollout", "status", "deploy/web")).ExitCode);
        Assert.Equal(0, (await Run("kubectl", "rollout", "undo", "status")).ExitCode);
    }

    [Fact]
    public async Task Rules_are_tried_in_the_order_they_were_added()
    {
        _runner.On("kubectl").Returns(1);
        _runner.On("kubectl", "apply").Returns(2);

        Assert.Equal(1, (await Run("kubectl", "apply")).ExitCode);
    }

    [Fact]
    public async Task A_rule_limited_to_once_lets_later_rules_answer_the_next_calls()
    {
        _runner.On("kubectl", "apply").Returns(1, stderr: "connection refused").Once();
        _runner.On("kubectl", "apply").Returns(0);

        var exitCodes = new List<int>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            exitCodes.Add((await Run("kubectl", "apply")).ExitCode);
        }

        Assert.Equal([1, 0, 0], exitCodes);
    }

    [Fact]
    public async Task Unmatched_calls_exit_with_the_default_code_and_no_output()
    {
        _runner.DefaultExitCode = 3;

        var result = await Run("docker", "info");

        Assert.Equal(new ProcessResult("docker info", 3, "", "", TimeSpan.Zero), result);
    }

    [Fact]
    public async Task Unmatched_calls_throw_when_strict()
    {
        _runner.Strict = true;
        _runner.On("docker", "compose").Returns(0);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => Run("kubectl", "get", "pods"));

        Assert.Contains("kubectl get pods", exception.Message);
    }

    [Fact]
    public async Task Every_call_is_recorded_in_order_even_when_concurrent()
    {
        await Run("docker", "compose", "config");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => Run("kubectl", "get", $"pod-{i}"))));
        await Run("docker", "compose", "up");

        Assert.Equal(202, _runner.Calls.Count);
        Assert.Equal("docker compose config", _runner.CallLines()[0]);
        Assert.Equal("docker compose up", _runner.CallLines()[^1]);
    }

    [Fact]
    public async Task Scripted_output_is_returned_and_passed_to_the_callbacks_line_by_line_with_secrets_redacted()
    {
        _runner.On("kubectl").Returns(0, stdout: "one\ntoken hunter22\n", stderr: "warn\n");
        var outLines = new List<string>();
        var errLines = new List<string>();

        var result = await _runner.RunAsync(new ProcessSpec("kubectl", ["get"]) { Secrets = ["hunter22"], OnStandardOutput = outLines.Add, OnStandardError = errLines.Add });

        Assert.Equal("one\ntoken [REDACTED]\n", result.StandardOutput);
        Assert.Equal(["one", "token [REDACTED]"], outLines);
        Assert.Equal(["warn"], errLines);
    }

    [Fact]
    public async Task TimesOut_answers_like_a_killed_child()
    {
        _runner.On("kubectl", "rollout", "status").TimesOut();

        var result = await _runner.RunAsync(new ProcessSpec("kubectl", ["rollout", "status", "deploy/web"]) { Timeout = TimeSpan.FromMinutes(2) });

        result.ShouldTimeOut().ShouldFail();
        Assert.Equal(TimeSpan.FromMinutes(2), result.Duration);
    }

    [Fact]
    public async Task Throws_throws_the_given_exception()
    {
        _runner.On("kind").Throws(new ToolNotFoundException("kind"));

        var exception = await Assert.ThrowsAsync<ToolNotFoundException>(() => Run("kind", "create", "cluster"));

        Assert.Equal("kind", exception.Tool);
    }

    [Fact]
    public async Task Responds_computes_the_answer_from_the_spec()
    {
        _runner.On("cat").Responds(spec => new ProcessResult(spec.Display(), 0, spec.StandardInput ?? "", "", TimeSpan.Zero));

        var result = await _runner.RunAsync(new ProcessSpec("cat", []) { StandardInput = "piped" });

        Assert.Equal("piped", result.StandardOutput);
    }

    [Fact]
    public async Task A_cancelled_token_throws_but_is_not_answered()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runner.RunAsync(new ProcessSpec("docker", []), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task Single_returns_the_one_matching_call()
    {
        await Run("docker", "compose", "up");
        await Run("kubectl", "apply");

        var call = _runner.Single(s => s.FileName == "kubectl");

        Assert.Equal(["apply"], call.Arguments);
    }

    [Fact]
    public async Task Single_fails_listing_every_call_when_none_or_several_match()
    {
        await Run("docker", "compose", "up");
        await Run("docker", "compose", "down");

        var none = Assert.Throws<FailException>(() => _runner.Single(s => s.FileName == "kubectl"));
        Assert.Throws<FailException>(() => _runner.Single(s => s.FileName == "docker"));

        Assert.Contains("$ docker compose up\n  $ docker compose down", none.Message);
    }

    private Task<ProcessResult> Run(string fileName, params string[] arguments) => _runner.RunAsync(new ProcessSpec(fileName, arguments));
}
