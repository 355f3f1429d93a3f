namespace Slipway.Infrastructure.Processes;

/// <summary>Replaces secret values in text. Short values are skipped: redacting "1" would mangle every line.</summary>
internal static class SecretRedactor
{
    public const string Mask = "[REDACTED]";
    public const int MinimumLength = 4;

    public static string Redact(string text, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets.Where(s => s.Length >= MinimumLength).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
