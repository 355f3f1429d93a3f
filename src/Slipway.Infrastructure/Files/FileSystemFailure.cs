using Slipway.Core.Diagnostics;

namespace Slipway.Infrastructure.Files;

/// <summary>
/// A file-system error the operator can fix (permission denied, disk full, a missing folder) as a failure with its own
/// exit code and a hint, instead of an internal error.
/// </summary>
public static class FileSystemFailure
{
    // errno values as .NET reports them in IOException.HResult on Linux.
    private const int NoSpace = 28;
    private const int ReadOnlyFileSystem = 30;
    private const int QuotaExceeded = 122;

    /// <summary>The failure for <paramref name="ex"/>, or null when it is not a file-system error.</summary>
    public static SlipwayException? From(Exception ex) => ex switch
    {
        UnauthorizedAccessException => new SlipwayException(FailureReason.PermissionDenied, Plain(ex.Message),
            "check the owner and mode of that path (ls -ld PATH); run Slipway as the user who owns the deployment directory", ex),
        IOException { HResult: ReadOnlyFileSystem } => new SlipwayException(FailureReason.PermissionDenied, Plain(ex.Message) + " (read-only file system)",
            "put the deployment directory on a writable file system", ex),
        IOException { HResult: NoSpace or QuotaExceeded } => new SlipwayException(FailureReason.NoSpace, Plain(ex.Message),
            "free space on that file system (df -h PATH) and run the command again; an interrupted run is finished with 'slipway deployment --dir D resume'", ex),
        DirectoryNotFoundException or FileNotFoundException => new SlipwayException(FailureReason.PathMissing, Plain(ex.Message),
            "create the missing folder first, or check the path for a typo", ex),
        _ => null,
    };

    /// <summary>True when <paramref name="ex"/> says the disk or quota is full.</summary>
    public static bool IsNoSpace(Exception ex) => ex is IOException { HResult: NoSpace or QuotaExceeded };

    private static string Plain(string message) => message.TrimEnd('.');
}
