using System.Runtime.InteropServices;

namespace Slipway.Infrastructure.Distribution;

/// <summary>
/// Puts a new build folder in the place of the installed one, keeping the installed one as <c>&lt;install&gt;.previous</c>.
/// On Linux the two folders trade places in one <c>renameat2(RENAME_EXCHANGE)</c>, so the install path always holds a
/// whole build; where the file system cannot exchange, two renames (the second undone by the first on failure).
/// </summary>
internal static class InstallSwap
{
    private const int AtCurrentDirectory = -100;
    private const uint RenameExchange = 2;

    public static string PreviousOf(string install) => install + ".previous";

    /// <summary>Moves <paramref name="incoming"/> to <paramref name="install"/>; the old install ends at <see cref="PreviousOf"/> (an older one there is removed).</summary>
    public static void Swap(string incoming, string install)
    {
        var previous = PreviousOf(install);
        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        if (OperatingSystem.IsLinux() && Exchange(incoming, install))
        {
            Directory.Move(incoming, previous);
            return;
        }

        Directory.Move(install, previous);
        try
        {
            Directory.Move(incoming, install);
        }
        catch (IOException)
        {
            Directory.Move(previous, install);
            throw;
        }
        catch (UnauthorizedAccessException)
        {
            Directory.Move(previous, install);
            throw;
        }
    }

    /// <summary>True when the two paths traded places atomically; false when this system cannot (nothing moved then).</summary>
    private static bool Exchange(string a, string b)
    {
        try
        {
            return RenameAt2(AtCurrentDirectory, a, AtCurrentDirectory, b, RenameExchange) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    // DllImport, not LibraryImport: the generated marshalling would need unsafe code in the whole project for one call.
    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);
}
