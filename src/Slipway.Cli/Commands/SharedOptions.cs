using System.CommandLine;

namespace Slipway.Cli.Commands;

/// <summary>The options several commands take, defined once (each command gets its own instances).</summary>
internal static class SharedOptions
{
    public static Option<string> Output()
    {
        var option = new Option<string>("--output") { Description = "text or json (json goes to stdout; messages to stderr)", DefaultValueFactory = _ => "text" };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }

    public static bool IsJson(this ParseResult parse, Option<string> output) => parse.GetValue(output) == "json";

    public static Option<int> WaitTimeout(int seconds = 300) =>
        new("--wait-timeout") { Description = "Seconds to wait for services to become healthy", DefaultValueFactory = _ => seconds };

    public static TimeSpan Seconds(this ParseResult parse, Option<int> option) => TimeSpan.FromSeconds(parse.GetValue(option));

    /// <summary>A run's <c>--wait-timeout</c>: given, it wins over the spec's <c>rollout.timeout</c>; absent, the spec's (default 300 s) applies.</summary>
    public static Option<int?> RolloutTimeout() =>
        new("--wait-timeout") { Description = "Seconds apply and verify may take together (default: the spec's rollout.timeout, else 300); wins over rollout.timeout" };

    public static TimeSpan? Seconds(this ParseResult parse, Option<int?> option) => parse.GetValue(option) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    public static Option<bool> ForceConflicts() =>
        new("--force-conflicts") { Description = "Kubernetes: take over fields another field manager owns (kubectl apply --force-conflicts); never done without it" };

    public static Option<bool> BreakLock() =>
        new("--break-lock") { Description = "Replace a stale lock (its process is gone) instead of refusing" };
}

/// <summary>laconic-so's pair: <c>--perform-cluster-management</c> opts in, <c>--skip-cluster-management</c> (the default) opts out.</summary>
internal sealed class ClusterManagement(string perform)
{
    public Option<bool> Perform { get; } = new("--perform-cluster-management") { Description = perform };

    public Option<bool> Skip { get; } = new("--skip-cluster-management") { Description = "Never create or delete a cluster (the default)" };

    public bool IsOn(ParseResult parse) => parse.GetValue(Perform) && !parse.GetValue(Skip);
}
