using System.Runtime.CompilerServices;

namespace Slipway.Core.Tests;

/// <summary>Fixtures are read from the source tree, so a new fixture needs no project change.</summary>
internal static class TestFiles
{
    public static string ProjectDirectory([CallerFilePath] string caller = "")
    {
        for (var dir = Path.GetDirectoryName(caller); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (Directory.EnumerateFiles(dir, "*.csproj").Any()) return dir;
        }

        throw new InvalidOperationException($"no project folder above {caller}");
    }

    public static string Fixture(params string[] parts) => Path.Combine([ProjectDirectory(), "Fixtures", .. parts]);
}
