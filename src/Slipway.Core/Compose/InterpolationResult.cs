namespace Slipway.Core.Compose;

/// <summary>A problem in an interpolated string; <see cref="Column"/> is 1-based within the string.</summary>
internal sealed record InterpolationError(int Column, string Message);

/// <summary>
/// The outcome of <see cref="Interpolation.Apply"/>. <see cref="Value"/> is only meaningful when
/// <see cref="Errors"/> is empty.
/// </summary>
/// <param name="Variables">Every variable referenced, distinct, in order of appearance, including those inside defaults.</param>
/// <param name="Unset">
/// Variables substituted by an empty string because they are unset and the expression has no default
/// (compose warns "The X variable is not set. Defaulting to a blank string.").
/// </param>
internal sealed record InterpolationResult(
    string Value,
    IReadOnlyList<string> Variables,
    IReadOnlyList<InterpolationError> Errors,
    IReadOnlyList<string> Unset)
{
    public bool Succeeded => Errors.Count == 0;
}
