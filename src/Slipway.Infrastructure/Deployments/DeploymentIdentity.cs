using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Deployments;

/// <summary>
/// D/deployment.yml read, plus the one decision it leaves open: which compose project D is. Slipway names it after
/// the deployment-id. laconic-so named it after the cluster-id, so a deployment directory laconic-so made keeps
/// that name when Slipway takes it over (its containers and volumes stay its own, nothing is renamed).
/// D counts as laconic-so's when deployment.yml looks like laconic-so wrote it (<see cref="DeploymentFile.LooksWrittenByLaconicSo"/>)
/// and Slipway has no state in D yet (no .slipway/), or adopted it before (.slipway/adopted-from-laconic-so).
/// Any other deployment.yml without a deployment-id is refused: falling back to the cluster-id there would start a
/// second, empty project beside the running one.
/// </summary>
public sealed record DeploymentIdentity(DeploymentFile File, string ComposeProject, bool AdoptedFromLaconicSo, string? AdoptionNote)
{
    public const string AdoptionRecordName = "adopted-from-laconic-so";

    public static string AdoptionRecord(DeploymentLayout layout) => Path.Combine(layout.State, AdoptionRecordName);

    /// <summary>Reads D's identity; adopts a laconic-so directory on first sight (writing the record, and saying so in <see cref="AdoptionNote"/>).</summary>
    public static DeploymentIdentity Read(DeploymentLayout layout)
    {
        var file = DeploymentFile.Parse(InputFile.ReadText(layout.DeploymentFile), layout.DeploymentFile);
        var record = AdoptionRecord(layout);
        var adoptedBefore = System.IO.File.Exists(record);
        var laconic = file.LooksWrittenByLaconicSo && (adoptedBefore || !Directory.Exists(layout.State));
        if (!laconic)
        {
            if (!file.StackSourceWritten)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    $"{layout.DeploymentFile} has no 'stack-source', and it was not written by laconic-so (Slipway has state in {layout.State})",
                    "Slipway always writes it: put the line 'stack-source: <the stack folder>' back");
            }

            if (!file.DeploymentIdWritten)
            {
                throw new SlipwayException(FailureReason.InvalidInput,
                    $"{layout.DeploymentFile} has no deployment-id, and it was not written by laconic-so (Slipway has state in {layout.State}, or the cluster-id is a Slipway id)",
                    $"Slipway names the compose project after the deployment-id; falling back to the cluster-id ({file.ClusterId}) would start a second, empty project beside the running one. " +
                    "Put the line 'deployment-id: <id>' back (the running project's name: docker compose ls)");
            }

            return new DeploymentIdentity(file, file.DeploymentId, false, null);
        }

        var project = file.ClusterId;
        if (!DeploymentIds.IsValid(project))
        {
            throw new SlipwayException(FailureReason.InvalidInput,
                $"{layout.DeploymentFile}: the cluster-id '{project}' of this laconic-so deployment cannot be a compose project name (lowercase letters, digits, '-' or '_')");
        }

        string? note = null;
        if (!adoptedBefore)
        {
            Directory.CreateDirectory(layout.State);
            AtomicFile.WriteText(record,
                $"# {layout.Directory} was made by laconic-so; Slipway took it over and keeps laconic-so's compose project name.\ncompose-project: {project}\n");
            note = $"adopted the laconic-so deployment {layout.Directory}: its compose project stays {project} (laconic-so's name, from cluster-id), " +
                   $"so its containers and volumes ({project}_*) are kept as they are; deployment.yml is unchanged; recorded in {record}" +
                   (file.StackSourceWritten ? "" : "; it names no stack-source, so D runs from its own stack.yml and compose files, no image is built, and restart needs --stack-path");
        }

        return new DeploymentIdentity(file, project, true, note);
    }
}
