namespace Slipway.Core.Files;

/// <summary>What a host path is: missing, a file, or a directory with its top-level files and whether it has subdirectories.</summary>
public sealed record HostPathEntry(HostPathKind Kind, HostFile? File = null, IReadOnlyList<HostFile>? Files = null, IReadOnlyList<string>? Subdirectories = null)
{
    public static readonly HostPathEntry Missing = new(HostPathKind.Missing);
}

public enum HostPathKind
{
    Missing,
    File,
    Directory,
}
