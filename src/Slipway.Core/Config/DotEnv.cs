using System.Text;

namespace Slipway.Core.Config;

/// <summary>
/// Dotenv files as docker compose v2 reads them for <c>--env-file</c>, <c>env_file:</c> and <c>.env</c>
/// (compose-go <c>dotenv</c> package), and a writer whose output compose and this parser read back unchanged.
/// </summary>
/// <remarks>
/// Rules, following compose-go v2:
/// <list type="bullet">
/// <item>Blank lines and lines whose first non-blank character is <c>#</c> are skipped; a leading BOM is ignored.</item>
/// <item><c>export KEY=value</c> is the same as <c>KEY=value</c>; blanks around <c>=</c> are allowed.</item>
/// <item>Keys match <c>[A-Za-z_][A-Za-z0-9_.-]*</c> (compose is laxer: it also takes a leading digit, other
/// Unicode letters, <c>[</c> and <c>]</c>).</item>
/// <item>Unquoted values run to the end of the line, are cut at the first <c>" #"</c> and trimmed. As in compose,
/// <c>KEY= # x</c> is the value <c># x</c> because the blanks after <c>=</c> are dropped first.</item>
/// <item><c>'single'</c> values are literal (only <c>\'</c> is unescaped) and may span lines.</item>
/// <item><c>"double"</c> values may span lines and understand <c>\n \r \t \a \b \f \v \\ \" \$</c> and
/// <c>\0NNN</c> (octal); other backslashes stay.</item>
/// <item>Unquoted and double-quoted values are interpolated like a compose file (<c>$VAR</c>, <c>${VAR:-x}</c>,
/// <c>$$</c>, ...): a name resolves from the lookup first, then from keys earlier in the file; an unresolved one
/// becomes empty with a warning. Single-quoted values are not interpolated.</item>
/// <item>After a closing quote only blanks and a <c># comment</c> may follow.</item>
/// </list>
/// Deliberately stricter than compose, which would otherwise read a typo silently: a bare <c>KEY</c> line
/// (compose copies <c>KEY</c> from the environment) and the YAML-style <c>KEY: value</c> are errors.
/// </remarks>
public static partial class DotEnv
{
    /// <summary>Parses dotenv text; <paramref name="lookup"/> resolves interpolated names first (null: unset).</summary>
    public static DotEnvParseResult Parse(string text, Func<string, string?>? lookup = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Parser(text, lookup).Run();
    }

    /// <summary>True when <paramref name="key"/> matches <c>[A-Za-z_][A-Za-z0-9_.-]*</c>.</summary>
    public static bool IsValidKey(string key) =>
        key.Length > 0 && IsKeyStart(key[0]) && key.All(IsKeyChar);

    /// <summary>
    /// Writes <c>KEY=value</c> lines, after <paramref name="header"/> as <c># </c> comment lines. Values are
    /// plain when every character is in <c>[A-Za-z0-9_./:@%+,=~-]</c>; otherwise single-quoted when that is
    /// literal (no <c>'</c>, no line break, no trailing <c>\</c>); otherwise double-quoted with
    /// <c>\\ \" \n \r \$</c> escapes. A <c>$</c> is therefore never left where compose would interpolate it:
    /// compose expands <c>$</c> in unquoted and double-quoted values only.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not <see cref="IsValidKey">valid</see>.</exception>
    public static string Render(IEnumerable<KeyValuePair<string, string>> entries, string? header = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sb = new StringBuilder();
        if (header is not null)
        {
            foreach (var line in header.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                sb.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
            }
        }

        foreach (var (key, value) in entries)
        {
            if (!IsValidKey(key))
            {
                throw new ArgumentException($"invalid dotenv key '{key}'", nameof(entries));
            }

            sb.Append(key).Append('=').Append(Quote(value ?? "")).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>The value as <see cref="Render"/> writes it after the <c>=</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.All(IsPlainChar))
        {
            return value;
        }

        if (!value.Contains('\'') && !value.Contains('\n') && !value.Contains('\r') && !value.EndsWith('\\'))
        {
            return "'" + value + "'";
        }

        var sb = new StringBuilder(value.Length + 8).Append('"');
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '$' => @"\$",
                _ => c.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    private static bool IsPlainChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or ':' or '@' or '%' or '+' or ',' or '=' or '~' or '-';

    private static bool IsKeyStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';

    /// <summary>Blanks within a line, as compose's isSpace (no line feed).</summary>
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r' or '\u0085' or '\u00A0';
}
