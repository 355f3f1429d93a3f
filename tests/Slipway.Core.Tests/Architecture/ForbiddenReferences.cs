using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Slipway.Core.Tests.Architecture;

/// <summary>
/// Reads an assembly's metadata (what it compiled against, not what a test happens to run) and lists the references a
/// pure assembly must not have: file system types, processes, the console, and the shell's assemblies.
/// </summary>
internal static class ForbiddenReferences
{
    /// <summary>Types whose use means disk, process or console access.</summary>
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        "System.IO.File",
        "System.IO.FileInfo",
        "System.IO.Directory",
        "System.IO.DirectoryInfo",
        "System.IO.FileSystemInfo",
        "System.IO.FileStream",
        "System.IO.FileStreamOptions",
        "System.IO.StreamReader",
        "System.IO.StreamWriter",
        "System.IO.DriveInfo",
        "System.IO.FileSystemWatcher",
        "System.IO.RandomAccess",
        "System.IO.Enumeration.FileSystemEnumerable`1",
        "System.IO.MemoryMappedFiles.MemoryMappedFile",
        "System.Diagnostics.Process",
        "System.Diagnostics.ProcessStartInfo",
        "System.Console",
    };

    /// <summary>Members of otherwise allowed types that touch the disk (System.IO.Path is only string manipulation, except these).</summary>
    private static readonly HashSet<string> Members = new(StringComparer.Ordinal)
    {
        "System.IO.Path::Exists",
        "System.IO.Path::GetTempPath",
        "System.IO.Path::GetTempFileName",
        "System.Environment::get_CurrentDirectory",
        "System.Environment::set_CurrentDirectory",
    };

    private static readonly HashSet<string> Assemblies = new(StringComparer.Ordinal)
    {
        "System.Console",
        "System.Diagnostics.Process",
        "System.IO.FileSystem.Watcher",
        "System.IO.MemoryMappedFiles",
        "System.CommandLine",
        "Spectre.Console",
        "Slipway.Infrastructure",
        "Slipway.Cli",
    };

    /// <summary>Every forbidden reference of the assembly at <paramref name="path"/>, as "type X", "member X::Y" or "assembly X".</summary>
    public static IReadOnlyList<string> In(string path)
    {
        using var stream = System.IO.File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var found = new SortedSet<string>(StringComparer.Ordinal);

        foreach (var handle in reader.AssemblyReferences)
        {
            var name = reader.GetString(reader.GetAssemblyReference(handle).Name);
            if (Assemblies.Contains(name)) found.Add($"assembly {name}");
        }

        foreach (var handle in reader.TypeReferences)
        {
            var name = FullName(reader, handle);
            if (Types.Contains(name)) found.Add($"type {name}");
        }

        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference) continue;
            var name = $"{FullName(reader, (TypeReferenceHandle)member.Parent)}::{reader.GetString(member.Name)}";
            if (Members.Contains(name)) found.Add($"member {name}");
        }

        return [.. found];
    }

    private static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
