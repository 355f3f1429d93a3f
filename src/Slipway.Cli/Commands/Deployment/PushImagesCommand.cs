using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class PushImagesCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("push-images", "Push the deployment's locally built images to the spec's image-registry");
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            foreach (var image in await new PushImages(env).RunAsync(dir, ct))
            {
                cli.Ui.Result($"{image.StackImage} -> {image.Reference}{(image.Digest is { } digest ? "@" + digest : "")}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
