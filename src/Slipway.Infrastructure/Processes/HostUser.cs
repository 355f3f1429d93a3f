namespace Slipway.Infrastructure.Processes;

/// <summary>
/// The user Slipway runs as, for laconic-so's <c>CERC_HOST_UID</c>/<c>CERC_HOST_GID</c> (compose files substitute
/// them into <c>user:</c>). Read from /proc/self/status: no child process and no native call.
/// </summary>
public static class HostUser
{
    public static (string Uid, string Gid) Ids()
    {
        try
        {
            string? uid = null, gid = null;
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                // "Uid:\treal\teffective\tsaved\tfs": the real id, as os.getuid() gives it.
                if (line.StartsWith("Uid:", StringComparison.Ordinal)) uid = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                if (line.StartsWith("Gid:", StringComparison.Ordinal)) gid = line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            }

            if (uid is not null && gid is not null) return (uid, gid);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ("0", "0");
    }

    /// <summary>The variables every compose call of a stack gets, as laconic-so exports them before <c>up</c>.</summary>
    public static IReadOnlyDictionary<string, string?> ComposeVariables(bool debug)
    {
        var (uid, gid) = Ids();
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal) { ["CERC_HOST_UID"] = uid, ["CERC_HOST_GID"] = gid };
        if (debug) variables["CERC_SCRIPT_DEBUG"] = "true";
        return variables;
    }
}
