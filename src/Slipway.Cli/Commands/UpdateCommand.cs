using System.CommandLine;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands;

/// <summary>laconic-so's <c>update [--check-only]</c>: replace this Slipway build folder with the release distribution-url names.</summary>
internal static class UpdateCommand
{
    public static Command Create(CliContext cli)
    {
        var checkOnly = new Option<bool>("--check-only") { Description = "Download and check the release, print the current and the available version, change nothing" };
        var rollback = new Option<bool>("--rollback") { Description = "Put back the build the last update replaced (<install>.previous); the two trade places" };
        var command = new Command("update", $"Replace this Slipway build with the release distribution-url names in ~/{SelfUpdate.ConfigFile} (checksum and version checked, the old build kept)")
        {
            checkOnly, rollback,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(checkOnly) && r.GetValue(rollback)) r.AddError("--check-only and --rollback cannot be combined");
        });
        command.SetAction((parse, ct) => cli.GuardAsync(parse, async env =>
        {
            var request = new SelfUpdateRequest(VersionCommand.Version, parse.GetValue(checkOnly), parse.GetValue(rollback));
            var result = await new SelfUpdate(env).RunAsync(request, ct);
            var ui = cli.Ui;
            if (request.Rollback)
            {
                ui.Result($"rolled back {result.Install}: slipway {result.Current} -> slipway {result.Available}; slipway {result.Current} is kept in {result.Previous}");
                return ExitCodes.Success;
            }

            ui.Result($"current:   slipway {result.Current} ({result.Install})");
            ui.Result($"available: slipway {result.Available} ({result.Url}, sha256 {result.Sha256})");
            if (result.Changed)
            {
                ui.Result($"updated {result.Install}: slipway {result.Current} -> slipway {result.Available}; the previous build is kept in {result.Previous} ('slipway update --rollback' puts it back)");
            }
            else if (result.Available == result.Current)
            {
                ui.Info("up to date: nothing was changed");
            }
            else
            {
                ui.Info("--check-only: nothing was changed; 'slipway update' installs it");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
