namespace Slipway.Core.Files;

/// <summary>One file the renderer may copy into a ConfigMap: its size first, so over-budget sources are refused unread.</summary>
public sealed record HostFile(string Name, long Size, bool Executable, Func<byte[]> Read);
