using Slipway.Core.Diagnostics;
using Slipway.Core.Specs;
using Slipway.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Verification;

/// <summary>Reads the spec keys <c>verify</c>, <c>rollout</c> and <c>hooks</c>; every problem is a diagnostic with file:line:column.</summary>
internal static class VerificationSpecParser
{
    private static readonly string[] VerifyKeys = ["service", "http", "tcp", "port", "expect", "timeout"];
    private static readonly string[] RolloutKeys = ["strategy", "timeout", "auto-rollback", "history-limit", "volume-safe"];
    private static readonly string[] HookKeys = ["pre-deploy", "post-deploy"];

    public static IReadOnlyList<VerifyCheck> ParseVerify(YamlMap spec)
    {
        var list = new List<VerifyCheck>();
        if (spec.Sequence("verify") is not { } checks) return list;
        foreach (var item in checks)
        {
            if (item is not YamlMappingNode node)
            {
                spec.Diagnostics.Error(DiagnosticCodes.WrongType, "each verify check must be a mapping {service, http or tcp, port, expect, timeout}", item.At(spec.File));
                continue;
            }

            if (ParseCheck(new YamlMap(node, spec.File, spec.Diagnostics, "verify check")) is { } check)
            {
                list.Add(check);
            }
        }

        return list;
    }

    private static VerifyCheck? ParseCheck(YamlMap check)
    {
        var diagnostics = check.Diagnostics;
        var errors = diagnostics.Items.Count(d => d.IsError);
        check.RejectUnknownKeys(VerifyKeys);
        var service = check.String("service");
        if (service is null)
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "a verify check needs 'service' (the compose service to probe)", check.Location);
        }

        if (check.Has("http") == check.Has("tcp"))
        {
            diagnostics.Error(DiagnosticCodes.MissingKey, "a verify check needs exactly one of 'http' (a path such as /health) or 'tcp' (a container port)", check.Location);
            return null;
        }

        var timeout = VerifyCheck.DefaultTimeout;
        if (check.String("timeout") is { } timeoutText)
        {
            if (!Durations.TryParse(timeoutText, out timeout) || timeout <= TimeSpan.Zero)
            {
                diagnostics.Error(DiagnosticCodes.InvalidValue, $"verify timeout must be a duration such as 30s, 2m or 90, not '{timeoutText}'", check.ValueLocation("timeout"));
            }
        }

        VerifyCheck? result;
        if (check.Has("http"))
        {
            var path = check.String("http");
            if (path is null || !path.StartsWith('/'))
            {
                diagnostics.Error(DiagnosticCodes.InvalidValue, $"verify 'http' must be a path starting with '/', not '{path}'", check.ValueLocation("http"));
            }

            var port = check.Int("port", 1, 65535);
            var expect = check.Int("expect", 100, 599) ?? VerifyCheck.DefaultExpectStatus;
            result = new VerifyCheck(service ?? "", ProbeKind.Http, path ?? "/", port, expect, timeout, check.Location);
        }
        else
        {
            foreach (var key in new[] { "port", "expect" }.Where(check.Has))
            {
                diagnostics.Error(DiagnosticCodes.InvalidValue, $"'{key}' does not apply to a tcp check: 'tcp' itself is the container port", check.KeyLocation(key));
            }

            var port = check.Int("tcp", 1, 65535);
            result = new VerifyCheck(service ?? "", ProbeKind.Tcp, null, port, 0, timeout, check.Location);
        }

        return diagnostics.Items.Count(d => d.IsError) == errors ? result : null;
    }

    public static RolloutSettings ParseRollout(YamlMap spec)
    {
        if (spec.Map("rollout", "'rollout'") is not { } rollout) return RolloutSettings.Default;
        rollout.RejectUnknownKeys(RolloutKeys);
        var settings = new RolloutSettings { Location = rollout.Location };
        if (rollout.String("strategy") is { } strategy)
        {
            if (strategy is "stop-first" or "start-first")
            {
                settings = settings with { Strategy = strategy == "stop-first" ? RolloutStrategy.StopFirst : RolloutStrategy.StartFirst };
            }
            else
            {
                spec.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"rollout.strategy must be stop-first or start-first, not '{strategy}'",
                    rollout.ValueLocation("strategy"), DidYouMean.Hint(strategy, ["stop-first", "start-first"]));
            }
        }

        if (rollout.String("timeout") is { } timeoutText)
        {
            if (Durations.TryParse(timeoutText, out var timeout) && timeout > TimeSpan.Zero)
            {
                settings = settings with { Timeout = timeout };
            }
            else
            {
                spec.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"rollout.timeout must be a duration such as 5m, 300s or 300, not '{timeoutText}'", rollout.ValueLocation("timeout"));
            }
        }

        if (rollout.Bool("auto-rollback") is { } autoRollback) settings = settings with { AutoRollback = autoRollback };
        if (rollout.Int("history-limit", 1, 1000) is { } limit) settings = settings with { HistoryLimit = limit };
        var safe = rollout.StringList("volume-safe", allowSingle: true);
        if (safe.Count > 0) settings = settings with { VolumeSafe = safe.Select(s => new Located<string>(s.Value, s.Location)).ToList() };
        return settings;
    }

    public static SpecHooks ParseHooks(YamlMap spec)
    {
        if (spec.Map("hooks", "'hooks'") is not { } hooks) return SpecHooks.None;
        hooks.RejectUnknownKeys(HookKeys);
        return new SpecHooks { PreDeploy = Commands(hooks, "pre-deploy"), PostDeploy = Commands(hooks, "post-deploy") };
    }

    /// <summary>A string is one shell command; a list holds commands, each a string (shell) or a list (argv).</summary>
    private static List<HookCommand> Commands(YamlMap hooks, string key)
    {
        var list = new List<HookCommand>();
        var node = hooks.Get(key);
        if (node is null || YamlMap.IsNullNode(node)) return list;
        var file = hooks.File;
        switch (node)
        {
            case YamlScalarNode single:
                AddShell(single);
                break;
            case YamlSequenceNode sequence:
                foreach (var item in sequence.Children)
                {
                    switch (item)
                    {
                        case YamlScalarNode text:
                            AddShell(text);
                            break;
                        case YamlSequenceNode argv when argv.Children.Count > 0 && argv.Children.All(a => a is YamlScalarNode { Value: not null }):
                            list.Add(new HookCommand(argv.Children.Select(a => ((YamlScalarNode)a).Value!).ToList(), false, item.At(file)));
                            break;
                        default:
                            hooks.Diagnostics.Error(DiagnosticCodes.WrongType,
                                $"each '{key}' hook must be a command string (run by /bin/sh -c) or a non-empty list of arguments", item.At(file));
                            break;
                    }
                }

                break;
            default:
                hooks.Diagnostics.Error(DiagnosticCodes.WrongType, $"'hooks.{key}' must be a command or a list of commands, not a {YamlMap.Describe(node)}", node.At(file));
                break;
        }

        return list;

        void AddShell(YamlScalarNode text)
        {
            if (string.IsNullOrWhiteSpace(text.Value))
            {
                hooks.Diagnostics.Error(DiagnosticCodes.InvalidValue, $"a '{key}' hook command is empty", text.At(file));
                return;
            }

            list.Add(HookCommand.ShellCommand(text.Value, text.At(file)));
        }
    }
}
