using System.Text.RegularExpressions;

namespace Slipway.Core.Webapps;

/// <summary>Docker's image reference grammar: <c>[host[:port]/]name[/name...][:tag][@sha256:...]</c>, names lowercase.</summary>
public static partial class ImageReference
{
    public static bool IsValid(string reference) => reference.Length <= 255 && Pattern().IsMatch(reference);

    [GeneratedRegex(@"\A(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?|\[[0-9a-fA-F:]+\](?::[0-9]+)?)/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?\z")]
    private static partial Regex Pattern();
}
