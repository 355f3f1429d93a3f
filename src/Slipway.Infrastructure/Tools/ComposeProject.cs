namespace Slipway.Infrastructure.Tools;

/// <summary>One compose project: its name, env file and compose files, as every <c>docker compose</c> call must name them.</summary>
internal sealed record ComposeProject(string Name, string? EnvFile, IReadOnlyList<string> Files);
