using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Verification;

namespace Slipway.Core.Tests.Verification;

public sealed class VerificationSpecTests
{
    private static (Spec Spec, DiagnosticBag Diagnostics) Parse(string lines)
    {
        var diagnostics = new DiagnosticBag();
        return (SpecParser.Parse("stack: ./stacks/test\n" + lines + "\n", "spec.yml", diagnostics), diagnostics);
    }

    private static Diagnostic SingleError(string lines)
    {
        var (_, diagnostics) = Parse(lines);
        return Assert.Single(diagnostics.Items, d => d.IsError);
    }

    [Theory]
    [InlineData("verify:\n  - service: web\n    http: /health")]
    [InlineData("rollout:\n  strategy: start-first")]
    [InlineData("hooks:\n  pre-deploy: echo hi")]
    public void Verify_rollout_and_hooks_are_read_without_a_not_implemented_warning(string lines)
    {
        var (_, diagnostics) = Parse(lines);

        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void Http_and_tcp_checks_are_read_with_their_defaults()
    {
        var (spec, diagnostics) = Parse("""
            verify:
              - service: web
                http: /health
              - service: api
                http: /ready?deep=1
                port: 8080
                expect: 204
                timeout: 1m30s
              - service: db
                tcp: 5432
                timeout: 10
            """);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(
            [
                new VerifyCheck("web", ProbeKind.Http, "/health", null, 200, TimeSpan.FromSeconds(30), new SourceLocation("spec.yml", 3, 5)),
                new VerifyCheck("api", ProbeKind.Http, "/ready?deep=1", 8080, 204, TimeSpan.FromSeconds(90), new SourceLocation("spec.yml", 5, 5)),
                new VerifyCheck("db", ProbeKind.Tcp, null, 5432, 0, TimeSpan.FromSeconds(10), new SourceLocation("spec.yml", 10, 5)),
            ],
            spec.Verify);
    }

    [Theory]
    [InlineData("verify:\n  - service: web", DiagnosticCodes.MissingKey, "exactly one of 'http'", 3, 5)]
    [InlineData("verify:\n  - service: web\n    http: /\n    tcp: 80", DiagnosticCodes.MissingKey, "exactly one of 'http'", 3, 5)]
    [InlineData("verify:\n  - http: /", DiagnosticCodes.MissingKey, "needs 'service'", 3, 5)]
    [InlineData("verify:\n  - web", DiagnosticCodes.WrongType, "must be a mapping", 3, 5)]
    [InlineData("verify:\n  - service: web\n    http: health", DiagnosticCodes.InvalidValue, "starting with '/'", 4, 11)]
    [InlineData("verify:\n  - service: web\n    http: /\n    expect: 700", DiagnosticCodes.WrongType, "'expect'", 5, 13)]
    [InlineData("verify:\n  - service: web\n    http: /\n    port: 0", DiagnosticCodes.WrongType, "'port'", 5, 11)]
    [InlineData("verify:\n  - service: web\n    tcp: http", DiagnosticCodes.WrongType, "'tcp'", 4, 10)]
    [InlineData("verify:\n  - service: web\n    tcp: 80\n    port: 81", DiagnosticCodes.InvalidValue, "'tcp' itself is the container port", 5, 5)]
    [InlineData("verify:\n  - service: web\n    http: /\n    timeout: soon", DiagnosticCodes.InvalidValue, "duration", 5, 14)]
    [InlineData("verify:\n  - service: web\n    http: /\n    timeout: 0s", DiagnosticCodes.InvalidValue, "duration", 5, 14)]
    [InlineData("verify:\n  - service: web\n    http: /\n    expct: 200", DiagnosticCodes.UnknownKey, "unknown key 'expct'", 5, 5)]
    [InlineData("verify:\n  service: web", DiagnosticCodes.WrongType, "must be a list", 3, 3)]
    public void Invalid_verify_checks_are_errors_at_their_line_and_column(string lines, string code, string message, int line, int column)
    {
        var error = SingleError(lines);

        Assert.Equal(code, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation("spec.yml", line, column), error.Location);
    }

    [Fact]
    public void An_unknown_verify_key_gets_a_did_you_mean()
    {
        Assert.Equal("did you mean 'expect'?", SingleError("verify:\n  - service: web\n    http: /\n    expct: 200").Hint);
    }

    [Fact]
    public void An_invalid_check_is_not_added_to_the_spec()
    {
        var (spec, _) = Parse("verify:\n  - service: web\n    http: nope\n  - service: db\n    tcp: 5432");

        Assert.Equal(["db"], spec.Verify.Select(c => c.Service));
    }

    [Fact]
    public void Rollout_is_read_and_defaults_apply_when_absent()
    {
        var (absent, _) = Parse("");
        Assert.Equal(RolloutSettings.Default, absent.Rollout);
        Assert.Equal((RolloutStrategy.StopFirst, TimeSpan.FromMinutes(5), true, 10),
            (absent.Rollout.Strategy, absent.Rollout.Timeout, absent.Rollout.AutoRollback, absent.Rollout.HistoryLimit));

        var (spec, diagnostics) = Parse("rollout:\n  strategy: start-first\n  timeout: 2m\n  auto-rollback: false\n  history-limit: 3");

        Assert.Empty(diagnostics.Items);
        Assert.Equal((RolloutStrategy.StartFirst, TimeSpan.FromMinutes(2), false, 3),
            (spec.Rollout.Strategy, spec.Rollout.Timeout, spec.Rollout.AutoRollback, spec.Rollout.HistoryLimit));
        Assert.Equal(new SourceLocation("spec.yml", 3, 3), spec.Rollout.Location);
    }

    [Fact]
    public void Rollout_volume_safe_is_a_list_of_services_or_one_service()
    {
        var (list, diagnostics) = Parse("rollout:\n  volume-safe: [cache, uploads]");
        var (single, _) = Parse("rollout:\n  volume-safe: cache");

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["cache", "uploads"], list.Rollout.VolumeSafe.Select(v => v.Value));
        Assert.Equal(new SourceLocation("spec.yml", 3, 17), list.Rollout.VolumeSafe[0].Location);
        Assert.Equal(["cache"], single.Rollout.VolumeSafe.Select(v => v.Value));
    }

    [Theory]
    [InlineData("rollout:\n  strategy: blue-green", DiagnosticCodes.InvalidValue, 3, 13)]
    [InlineData("rollout:\n  strategy: start-frist", DiagnosticCodes.InvalidValue, 3, 13)]
    [InlineData("rollout:\n  timeout: forever", DiagnosticCodes.InvalidValue, 3, 12)]
    [InlineData("rollout:\n  auto-rollback: maybe", DiagnosticCodes.WrongType, 3, 18)]
    [InlineData("rollout:\n  history-limit: 0", DiagnosticCodes.WrongType, 3, 18)]
    [InlineData("rollout: fast", DiagnosticCodes.WrongType, 2, 10)]
    public void Invalid_rollout_values_are_errors_at_their_value(string lines, string code, int line, int column)
    {
        var error = SingleError(lines);

        Assert.Equal(code, error.Code);
        Assert.Equal(new SourceLocation("spec.yml", line, column), error.Location);
    }

    [Fact]
    public void A_misspelt_strategy_gets_a_did_you_mean()
    {
        Assert.Equal("did you mean 'start-first'?", SingleError("rollout:\n  strategy: start-frist").Hint);
    }

    [Fact]
    public void Hooks_take_one_shell_command_or_a_list_of_shell_and_argv_commands()
    {
        var (spec, diagnostics) = Parse("""
            hooks:
              pre-deploy: ./backup.sh --now
              post-deploy:
                - curl -fsS http://127.0.0.1/ping | grep ok
                - [notify-send, "deployed $SLIPWAY_DEPLOYMENT_ID"]
            """);

        Assert.Empty(diagnostics.Items);
        var pre = Assert.Single(spec.Hooks.PreDeploy);
        Assert.Equal(["/bin/sh", "-c", "./backup.sh --now"], pre.Argv);
        Assert.True(pre.Shell);
        Assert.Equal(new SourceLocation("spec.yml", 3, 15), pre.Location);
        Assert.Equal(2, spec.Hooks.PostDeploy.Count);
        Assert.Equal("curl -fsS http://127.0.0.1/ping | grep ok", spec.Hooks.PostDeploy[0].Text);
        Assert.Equal(["notify-send", "deployed $SLIPWAY_DEPLOYMENT_ID"], spec.Hooks.PostDeploy[1].Argv);
        Assert.False(spec.Hooks.PostDeploy[1].Shell);
        Assert.Same(spec.Hooks.PreDeploy, spec.Hooks.For(SpecHookPhase.PreDeploy));
    }

    [Theory]
    [InlineData("hooks:\n  pre-deploy: {a: b}", DiagnosticCodes.WrongType, 3, 15)]
    [InlineData("hooks:\n  pre-deploy:\n    - {a: b}", DiagnosticCodes.WrongType, 4, 7)]
    [InlineData("hooks:\n  pre-deploy:\n    - []", DiagnosticCodes.WrongType, 4, 7)]
    [InlineData("hooks:\n  pre-deploy: \"  \"", DiagnosticCodes.InvalidValue, 3, 15)]
    [InlineData("hooks:\n  pre-deplyo: x", DiagnosticCodes.UnknownKey, 3, 3)]
    [InlineData("hooks: [x]", DiagnosticCodes.WrongType, 2, 8)]
    public void Invalid_hooks_are_errors_at_their_position(string lines, string code, int line, int column)
    {
        var error = SingleError(lines);

        Assert.Equal(code, error.Code);
        Assert.Equal(new SourceLocation("spec.yml", line, column), error.Location);
    }

    [Theory]
    [InlineData("90", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    public void Durations_read_seconds_and_units(string text, int milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("5 s")]
    [InlineData("1.5s")]
    [InlineData("5d")]
    [InlineData("s")]
    public void Durations_refuse_what_they_cannot_read(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(1_500, "1.5s")]
    [InlineData(3_600_000, "1h")]
    public void Durations_format_short(int milliseconds, string text)
    {
        Assert.Equal(text, Durations.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void A_check_describes_what_it_probes()
    {
        Assert.Equal("web: GET /health on port 80 answers 200 (within 30s)", VerifyCheck.Http("web", "/health", 80).Describe());
        Assert.Equal("web: GET / on its published port answers 204 (within 5s)", VerifyCheck.Http("web", "/", expect: 204, timeout: TimeSpan.FromSeconds(5)).Describe());
        Assert.Equal("db: TCP port 5432 accepts connections (within 1m)", VerifyCheck.Tcp("db", 5432, TimeSpan.FromMinutes(1)).Describe());
    }
}
