using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary><c>setup-repositories</c> and <c>fetch-stack</c>: clone or update repositories in the dev root (CERC_REPO_BASE_DIR, default ~/cerc).</summary>
internal static class RepositoryCommands
{
    public static Command SetupRepositories(CliContext cli)
    {
        var include = new Option<string[]>("--include") { Description = "Only these repositories (full locator, org/repo or repo name; comma-separated or repeated)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Not these repositories" };
        var branches = new Option<string[]>("--branches") { Description = "repo@branch,...: the ref to check out for those repositories" };
        var (gitSsh, checkOnly, pull) = CommonOptions();
        var command = new Command("setup-repositories", "Clone (or with --pull update) the stack's repos: into the dev root")
        {
            include, exclude, branches, gitSsh, checkOnly, pull,
        };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await new SetupRepositories(env).RunAsync(new SetupRepositoriesRequest
            {
                StackArgument = cli.StackValue(parse),
                Include = List(parse.GetValue(include)),
                Exclude = List(parse.GetValue(exclude)),
                Branches = List(parse.GetValue(branches)),
                GitSsh = parse.GetValue(gitSsh),
                CheckOnly = parse.GetValue(checkOnly),
                Pull = parse.GetValue(pull),
                DryRun = parse.GetValue(cli.DryRun),
                ContinueOnError = parse.GetValue(cli.ContinueOnError),
            }, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command FetchStack(CliContext cli)
    {
        var locator = new Argument<string>("LOCATOR") { Description = "host/org/repo[@ref], or org/repo[@ref] for github.com" };
        var (gitSsh, checkOnly, pull) = CommonOptions();
        var command = new Command("fetch-stack", "Clone one repository holding stack definitions into the dev root") { locator, gitSsh, checkOnly, pull };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await new SetupRepositories(env).FetchStackAsync(parse.GetValue(locator)!, new RepositoryRequest
            {
                GitSsh = parse.GetValue(gitSsh),
                CheckOnly = parse.GetValue(checkOnly),
                Pull = parse.GetValue(pull),
                DryRun = parse.GetValue(cli.DryRun),
            }, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static (Option<bool> GitSsh, Option<bool> CheckOnly, Option<bool> Pull) CommonOptions() => (
        new Option<bool>("--git-ssh") { Description = "Clone over SSH (git@host:org/repo) instead of HTTPS" },
        new Option<bool>("--check-only") { Description = "Only report what is there: clone, pull and checkout nothing" },
        new Option<bool>("--pull") { Description = "git pull --ff-only each repository that is on a branch" });

    private static List<string> List(string[]? values) =>
        (values ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
