using System.CommandLine;
using System.Text.Json;
using Slipway.Cli.Output;
using Slipway.Core.Kubernetes;
using Slipway.Infrastructure.Operations;

namespace Slipway.Cli.Commands.Deployment;

internal static class PlanCommand
{
    public static Command Create(CliContext cli)
    {
        var output = SharedOptions.Output();
        var fetch = new Option<bool>("--fetch") { Description = "Also fetch the stack's and the spec's repositories (moving nothing) and show the incoming commits and what they would change" };
        var command = new Command("plan", "Show what start would change against the live state (changes nothing)") { output, fetch };
        command.SetAction((parse, ct) => cli.DeploymentAsync(parse, async (env, dir) =>
        {
            var plan = await new Plan(env).RunAsync(dir, ct, parse.GetValue(fetch));
            var ui = cli.Ui;
            foreach (var image in plan.Images.Where(i => i.Dirty))
            {
                ui.Warn($"the build folder of {image.StackImage} has uncommitted changes: the image would be tagged -dirty-; commit them for a clean, reproducible tag");
            }

            if (parse.IsJson(output))
            {
                ui.Result(JsonSerializer.Serialize(Json(plan), OutputJson.Default.PlanJson));
                return ExitCodes.Success;
            }

            var changing = plan.Changes.Where(c => c.Action != "unchanged").ToList();
            if (changing.Count == 0 && plan.Images.Count == 0 && plan.Services.Count == 0) ui.Result("No changes: the live state matches D");
            else if (changing.Count > 0) ui.Table(["KIND", "NAME", "ACTION", "DETAIL"], changing.Select(c => (IReadOnlyList<string>)[c.Kind, c.Name, c.Action, c.Detail ?? ""]));
            foreach (var image in plan.Images)
            {
                // Compose's dry run cannot see a changed build folder: the build stage makes a new tag, and apply recreates its services.
                ui.Result($"image {image.StackImage}: would be rebuilt as {image.Next} ({image.Why}){(image.Current is null ? "" : $"; now running {image.Current}")}");
            }

            foreach (var service in plan.Services) ui.Result($"service {service.Service} would be recreated: {string.Join("; ", service.Reasons)}");

            if (plan.CurrentRevision is not { } current)
            {
                ui.Info("no revision recorded yet: every file of D is new");
            }
            else if (plan.Files.Count > 0)
            {
                ui.Info($"files changed since revision {current}:");
                foreach (var file in plan.Files) ui.Detail($"{file.Change} {file.Path}");
            }

            if (plan.Incoming is { } incoming)
            {
                // Fetched, not pulled: this is what the next restart would bring in.
                foreach (var repository in incoming)
                {
                    var what = $"{string.Join("+", repository.Roles)} {repository.Repository}";
                    if (repository.Note is { } note)
                    {
                        ui.Info($"incoming {what}: {note}");
                    }
                    else if (repository.Commits.Count == 0)
                    {
                        ui.Info($"incoming {what}: none, up to date with {repository.Upstream}");
                    }
                    else
                    {
                        ui.Info($"incoming {what}: {repository.Commits.Count} commit{(repository.Commits.Count == 1 ? "" : "s")} on {repository.Upstream} (fetched, not pulled; restart pulls them)");
                        foreach (var commit in repository.Commits) ui.Detail($"commit {commit}");
                        foreach (var file in repository.Files) ui.Detail($"{file.Path}: {file.Effect}");
                    }
                }
            }

            if (plan.Volumes.Count > 0)
            {
                // Where each volume's data lives and what survives what: the trap of storage that seems persistent and is not.
                ui.Info("volumes:");
                foreach (var line in KubernetesVolumes.Table(plan.Volumes)) ui.Detail(line);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The plan as <c>plan --output json</c> prints it (fleet check-host gathers the same).</summary>
    public static PlanJson Json(PlanResult plan) => new(plan.CurrentRevision,
        plan.Changes.Select(c => new ChangeJson(c.Kind, c.Name, c.Action, c.Detail)).ToList(),
        plan.Files.Select(f => new FileJson(f.Path, f.Change)).ToList(),
        plan.Volumes.Select(v => new VolumeJson(v.Name, v.Where, v.SurvivesPodRestart, v.SurvivesStop, v.SurvivesDeleteVolumes, v.SurvivesClusterDeletion)).ToList())
    {
        Images = plan.Images.Select(i => new ImageChangeJson(i.StackImage, i.Current, i.Next, i.Why, i.Dirty)).ToList(),
        Incoming = plan.Incoming,
        Services = plan.Services,
    };
}
