using Slipway.Core.Diagnostics;
using Slipway.Core.Files;

namespace Slipway.Infrastructure.Files;

/// <summary>Reads an input file from disk through <see cref="InputText"/>: too large is refused before reading, bad UTF-8 at its byte.</summary>
internal static class InputFile
{
    public static byte[] ReadBytes(string path)
    {
        var size = new FileInfo(path).Length;
        if (size > InputText.MaxBytes) throw new InvalidInputException(InputText.TooLarge(path, size));
        return File.ReadAllBytes(path);
    }

    public static string ReadText(string path) => InputText.DecodeOrThrow(ReadBytes(path), path);
}
