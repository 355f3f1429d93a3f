using System.Globalization;
using System.Text.Json;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Infrastructure.Files;

namespace Slipway.Infrastructure.Pipeline;

/// <summary>D/.slipway/pin.json: the revision a rollback put back, which start and restart keep until told to move on.</summary>
public sealed record PinRecord(int Revision, int? SourceRevision, string RunId, DateTimeOffset At);

/// <summary>
/// A rollback sticks: after it, a plain start (which would build the current sources) or restart (which would sync and
/// roll forward) is refused, naming the pin, until the operator moves on explicitly with <c>--unpin</c>. The pin is
/// written when a rollback succeeds and cleared when a start or restart succeeds.
/// </summary>
public static class DeploymentPin
{
    public static string PathOf(DeploymentLayout layout) => Path.Combine(layout.State, "pin.json");

    // Without them a pin would read as one to revision 0 by run "" at year 1.
    private static readonly StateFile.Shape Shape = new(["revision", "runId", "at"], []);

    public static PinRecord? Read(DeploymentLayout layout)
    {
        var path = PathOf(layout);
        // A pin that cannot be read must not read as "not pinned": that would let start roll forward past a rollback.
        SlipwayException Damaged(string why) => new(FailureReason.InvalidInput, $"{path} is not a valid pin: {why}",
            "it is Slipway's state; delete it to unpin the deployment");
        if (Directory.Exists(path)) throw Damaged("it is a folder");
        try
        {
            var text = File.ReadAllText(path);
            if (StateFile.Lacks(text, Shape) is { Count: > 0 } lacks) throw Damaged(StateFile.Describe(lacks));
            return JsonSerializer.Deserialize(text, StateJson.Default.PinRecord) ?? throw Damaged("it holds null");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw Damaged(ex.Message);
        }
    }

    public static void Write(DeploymentLayout layout, PinRecord pin) =>
        AtomicFile.WriteText(PathOf(layout), JsonSerializer.Serialize(pin, StateJson.Default.PinRecord) + "\n");

    public static void Clear(DeploymentLayout layout) => File.Delete(PathOf(layout));

    /// <summary>Refuses <paramref name="command"/> on a pinned D unless <paramref name="unpin"/>.</summary>
    public static void Check(DeploymentLayout layout, string command, bool unpin)
    {
        if (unpin || Read(layout) is not { } pin) return;
        var what = command == RunRequest.Restart ? "sync D from its sources and roll forward" : "build and deploy D's current sources";
        throw new SlipwayException(FailureReason.Conflict,
            $"{layout.Directory} is pinned to {Describe(pin)}; {command} would {what}, so nothing was run",
            $"'{command} --unpin' moves on from the rollback; 'deployment history' shows the revisions");
    }

    /// <summary>"revision 3 (revision 1's files and images) by rollback run R at T": what history, diagnose and the refusal say.</summary>
    public static string Describe(PinRecord pin)
    {
        var source = pin.SourceRevision is { } from && from != pin.Revision ? $" (revision {from}'s files and images)" : "";
        return $"revision {pin.Revision}{source} by rollback run {pin.RunId} at {pin.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z";
    }
}
