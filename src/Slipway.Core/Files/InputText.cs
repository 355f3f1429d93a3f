using System.Text;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Files;

/// <summary>
/// The one way input files (spec, stack.yml, compose files, env files, deployment.yml) become text: bounded in size
/// and strictly UTF-8, so a bad byte is refused at its line and column instead of turning silently into U+FFFD
/// (which would change a secret without a word).
/// </summary>
public static class InputText
{
    /// <summary>Far above any real spec, stack or env file; a file this big is a mistake (or an attack), refused unread.</summary>
    public const long MaxBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The error for a file over <see cref="MaxBytes"/>, before it is read.</summary>
    public static Diagnostic TooLarge(string file, long size) =>
        Diagnostic.Error(DiagnosticCodes.InvalidValue, $"{file} is {size:N0} bytes; Slipway reads input files of at most {MaxBytes:N0} bytes", new SourceLocation(file, 1, 1),
            "is this the right file? specs, stacks, compose and env files are small text files");

    /// <summary>The text of <paramref name="bytes"/> (a UTF-8 byte-order mark dropped), or null with a diagnostic at the first bad byte.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string file, DiagnosticBag diagnostics)
    {
        if (bytes.Length > MaxBytes)
        {
            diagnostics.Add(TooLarge(file, bytes.Length));
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) bytes = bytes[3..];
        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var at = ex.Index >= 0 ? FirstInvalid(bytes) : 0;
            var (line, column) = Position(bytes[..at]);
            diagnostics.Error(DiagnosticCodes.InvalidValue, "invalid UTF-8: this byte is not part of a UTF-8 character; save the file as UTF-8",
                new SourceLocation(file, line, column));
            return null;
        }
    }

    /// <summary>As <see cref="Decode"/>, throwing <see cref="InvalidInputException"/> instead of returning null.</summary>
    public static string DecodeOrThrow(ReadOnlySpan<byte> bytes, string file)
    {
        var diagnostics = new DiagnosticBag();
        var text = Decode(bytes, file, diagnostics);
        diagnostics.ThrowIfErrors();
        return text!;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var valid = 0;
        while (valid < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[valid..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return valid;
            valid += consumed;
        }

        return valid;
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> before)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        // Columns count characters, as the parsers' do.
        return (line, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }
}
