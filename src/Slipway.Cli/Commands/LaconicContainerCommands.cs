using System.CommandLine;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary>
/// laconic-so's <c>fetch-containers</c>, and the verb Slipway does not have (<c>build-npms</c>): it is accepted so that a
/// script calling it fails with what to do instead, not with "unknown command".
/// </summary>
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
        var command = new Command("build-npms", "laconic-so's build-npms; not in Slipway: says what to do instead")
        {
            new Option<string[]>("--include"), new Option<string[]>("--exclude"), new Option<bool>("--force-rebuild"), new Option<string>("--extra-build-args"),
        };
        command.SetAction((parse, ct) => cli.GuardAsync(parse, _ => throw new SlipwayException(FailureReason.Usage,
            "build-npms is not in Slipway: laconic-so builds each package of the stack's npms: in its cerc/builder-js container and publishes it to "
            + "CERC_NPM_REGISTRY_URL with CERC_NPM_AUTH_TOKEN; nothing was built or published",
            "build and publish the packages with their own 'npm ci && npm run build && npm publish' (or laconic-so's build-npms), then run build-containers, which passes CERC_NPM_REGISTRY_URL and CERC_NPM_AUTH_TOKEN to the build scripts")));
        return command;
    }

    private static List<string> List(string[]? values) =>
        (values ?? []).SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
