using System.Text.RegularExpressions;

namespace Slipway.Infrastructure.Processes;

/// <summary>Terminal control sequences (CSI such as <c>ESC[2K</c>, OSC, lone escapes) taken out of a line of a tool's output.</summary>
public static partial class TerminalText
{
    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])|\r")]
    private static partial Regex ControlSequence();

    public static string Strip(string line) => line.Contains('\x1B') || line.Contains('\r') ? ControlSequence().Replace(line, "") : line;
}
