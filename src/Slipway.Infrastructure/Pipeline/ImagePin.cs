namespace Slipway.Infrastructure.Pipeline;

/// <summary>An image the stack's files reference (<c>slipway/hello:local</c>) and the immutable reference to run instead.</summary>
public sealed record ImagePin(string StackImage, string Reference);
