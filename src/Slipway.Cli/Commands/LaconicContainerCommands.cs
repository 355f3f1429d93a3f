using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary>laconic-so's <c>fetch-containers</c> and <c>build-npms</c>.</summary>
internal static class LaconicContainerCommands
{
    public static Command FetchContainers(CliContext cli)
    {
        var include = new Option<string[]>("--include") { Description = "Only these containers (comma-separated or repeated)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Not these containers" };
        var registry = new Option<string>("--image-registry") { Description = "host[:port]/org holding the images (<registry>/<container>:<tag>)", Required = true };
        var username = new Option<string>("--registry-username") { Description = "The registry user", Required = true };
        var token = new Option<string>("--registry-token") { Description = "The registry token (laconic-so's flag; it is on the command line, so prefer a short-lived one)", Required = true };
        var force = new Option<bool>("--force-local-overwrite") { Description = "Retag <container>:local even when it exists" };
        var command = new Command("fetch-containers", "Pull each container's newest tag for this machine's architecture from a registry and tag it <container>:local")
        {
            include, exclude, registry, username, token, force,
        };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await new FetchContainers(env).RunAsync(new FetchContainersRequest
            {
                StackArgument = cli.StackValue(parse),
                Include = List(parse.GetValue(include)),
                Exclude = List(parse.GetValue(exclude)),
                ImageRegistry = parse.GetValue(registry)!,
                Username = parse.GetValue(username)!,
                Token = parse.GetValue(token)!,
                ForceLocalOverwrite = parse.GetValue(force),
            }, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    public static Command BuildNpms(CliContext cli)
    {
        var include = new Option<string[]>("--include") { Description = "Only these packages (comma-separated or repeated)" };
        var exclude = new Option<string[]>("--exclude") { Description = "Not these packages (comma-separated or repeated)" };
        var force = new Option<bool>("--force-rebuild") { Description = "CERC_FORCE_REBUILD=true: build and publish even when the registry has the version" };
        var extra = new Option<string?>("--extra-build-args") { Description = "Given to the build script as CERC_CONTAINER_EXTRA_BUILD_ARGS" };
        var command = new Command("build-npms",
            "Build the stack's npms: in cerc/builder-js:local, each from a copy of its dev-root clone, and publish them to CERC_NPM_REGISTRY_URL")
        {
            include, exclude, force, extra,
        };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            await new BuildNpms(env).RunAsync(new BuildNpmsRequest
            {
                StackArgument = cli.StackValue(parse),
                Include = List(parse.GetValue(include)),
                Exclude = List(parse.GetValue(exclude)),
                ForceRebuild = parse.GetValue(force),
                ExtraBuildArgs = parse.GetValue(extra),
                Debug = parse.GetValue(cli.Debug),
                DryRun = parse.GetValue(cli.DryRun),
                ContinueOnError = parse.GetValue(cli.ContinueOnError),
            }, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static List<string> List(string[]? values) =>
        (values ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
