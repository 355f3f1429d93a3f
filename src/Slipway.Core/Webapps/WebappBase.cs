using System.Text.Json;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Webapps;

/// <summary>
/// Which base image a webapp is built on (laconic-so's rule): <c>cerc/nextjs-base</c> when package.json lists
/// <c>next</c> under <c>dependencies</c>, else <c>cerc/webapp-base</c> (also without a package.json).
/// </summary>
public static class WebappBase
{
    public const string Generic = "cerc/webapp-base";

    public const string NextJs = "cerc/nextjs-base";

    /// <summary>The base for a source whose package.json reads <paramref name="packageJson"/> (null: there is none).</summary>
    public static string Determine(string? packageJson, string path, DiagnosticBag diagnostics)
    {
        if (packageJson is null) return Generic;
        try
        {
            using var document = JsonDocument.Parse(packageJson, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                diagnostics.Error(DiagnosticCodes.WrongType, "package.json must be a JSON object", new SourceLocation(path, 1, 1));
                return Generic;
            }

            return document.RootElement.TryGetProperty("dependencies", out var dependencies)
                && dependencies.ValueKind == JsonValueKind.Object
                && dependencies.TryGetProperty("next", out _) ? NextJs : Generic;
        }
        catch (JsonException e)
        {
            diagnostics.Error(DiagnosticCodes.InvalidValue, $"package.json is not valid JSON: {FirstSentence(e.Message)}",
                new SourceLocation(path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1));
            return Generic;
        }
    }

    /// <summary>laconic-so's default tag of a built webapp: <c>cerc/&lt;folder name&gt;:local</c>.</summary>
    public static string DefaultTag(string sourceFolderName) => $"cerc/{sourceFolderName}:local";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).TrimEnd('.', ' ');
    }
}
