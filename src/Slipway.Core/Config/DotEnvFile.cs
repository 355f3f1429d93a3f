using Slipway.Core.Diagnostics;
using Slipway.Core.Files;

namespace Slipway.Core.Config;

/// <summary>An env file on disk (env-files, credentials-files, deploy init --config-file) as diagnostics with file:line:column.</summary>
public static class DotEnvFile
{
    /// <summary>The entries of the file, errors (strict UTF-8, size, syntax) added to <paramref name="diagnostics"/>.</summary>
    public static IReadOnlyList<DotEnvEntry> Read(ReadOnlySpan<byte> bytes, string file, DiagnosticBag diagnostics)
    {
        if (InputText.Decode(bytes, file, diagnostics) is not { } text) return [];
        var result = DotEnv.Parse(text);
        foreach (var error in result.Errors)
        {
            diagnostics.Error(DiagnosticCodes.DotEnv, error.Message, new SourceLocation(file, error.Line, error.Column));
        }

        return result.Entries;
    }
}
