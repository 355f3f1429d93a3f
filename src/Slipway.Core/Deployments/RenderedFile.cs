namespace Slipway.Core.Deployments;

/// <summary>One file of a deployment directory, relative to D. Secret files are written owner-only.</summary>
public sealed record RenderedFile(string RelativePath, byte[] Content, bool Secret = false, bool Executable = false)
{
    public static RenderedFile Text(string relativePath, string text, bool secret = false) =>
        new(relativePath, System.Text.Encoding.UTF8.GetBytes(text), secret);
}
