using System.Text.RegularExpressions;

namespace Slipway.Infrastructure.Tools;

/// <summary>
/// What of compose's output belongs in an error: its progress lines (<c> Container p-web-1  Starting</c>, <c>[+] Running 3/4</c>)
/// go to the run log only; the error itself is kept once (compose prints it in the failing container's progress
/// line and again at the end).
/// </summary>
internal static partial class ComposeOutput
{
    /// <summary>The error lines of <paramref name="text"/>, each once, at most <paramref name="count"/>; the plain tail when every line is progress.</summary>
    public static string ErrorText(string text, int count = 20)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line) || Header().IsMatch(line)) continue;
            var message = line;
            if (Progress().Match(line) is { Success: true } progress)
            {
                // A progress line carries a message only when its status is one: "Error response from daemon: ...".
                var status = progress.Groups["status"].Value;
                if (!status.StartsWith("Error", StringComparison.Ordinal) || status == "Error") continue;
                message = status;
            }

            message = message.Trim();
            if (seen.Add(message)) kept.Add(message);
        }

        if (kept.Count == 0)
        {
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
        }

        return string.Join('\n', kept.Skip(Math.Max(0, kept.Count - count)));
    }

    [GeneratedRegex(@"^\s*\[\+\]\s")]
    private static partial Regex Header();

    [GeneratedRegex(@"^\s*(Container|Network|Volume|Image|Service)\s+\S+\s{2,}(?<status>\S.*)$")]
    private static partial Regex Progress();
}
