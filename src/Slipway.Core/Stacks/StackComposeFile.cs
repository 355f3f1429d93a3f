using Slipway.Core.Compose;
using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>A compose file of a stack: a pod or a job, with the file it came from.</summary>
public sealed record StackComposeFile(string Name, string SourcePath, ComposeFile Compose, SourceLocation DeclaredAt);
