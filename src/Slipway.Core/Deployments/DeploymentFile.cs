using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Deployments;

/// <summary><c>D/deployment.yml</c>: who this deployment is. Written once by deploy create; never touched by updates.</summary>
public sealed record DeploymentFile(string ClusterId, string DeploymentId, string StackSource, string? SpecSource)
{
    private static readonly string[] Keys = ["cluster-id", "deployment-id", "stack-source", "spec-source"];

    /// <summary>
    /// False when the file has no deployment-id key (then <see cref="DeploymentId"/> is the cluster-id). Slipway always
    /// writes the key; only laconic-so, before it had the field, wrote such files.
    /// </summary>
    public bool DeploymentIdWritten { get; init; } = true;

    /// <summary>
    /// False when the file has no stack-source: laconic-so's older files (only cluster-id). Then <see cref="StackSource"/>
    /// is D itself, whose stack.yml and compose/ laconic-so runs from; nothing is built from it and restart needs
    /// --stack-path. Slipway always writes the key, so only a file that looks laconic-so's may lack it.
    /// </summary>
    public bool StackSourceWritten { get; init; } = true;

    /// <summary>
    /// What the file itself says about its writer: laconic-so's ids start with <c>laconic-</c> (or the cluster-id is a kind
    /// cluster's name), Slipway's with <c>slipway-</c>, and only Slipway writes spec-source. A file without
    /// deployment-id qualifies when its cluster-id is not a Slipway id; a file with both when its deployment-id is a
    /// laconic-so id. The caller also checks D for Slipway's own state (see DeploymentIdentity).
    /// </summary>
    public bool LooksWrittenByLaconicSo =>
        SpecSource is null
        && !ClusterId.StartsWith(DeploymentIds.SlipwayPrefix, StringComparison.Ordinal)
        && (!DeploymentIdWritten || DeploymentId.StartsWith(DeploymentIds.LaconicPrefix, StringComparison.Ordinal));

    public string Render()
    {
        var root = new YamlMappingNode
        {
            { "cluster-id", ClusterId },
            { "deployment-id", DeploymentId },
        };
        if (StackSourceWritten) root.Add("stack-source", Quoted(StackSource));
        if (SpecSource is not null) root.Add("spec-source", Quoted(SpecSource));
        return YamlDocuments.Save(root);
    }

    public static DeploymentFile Parse(string text, string file)
    {
        var diagnostics = new DiagnosticBag();
        var root = YamlDocuments.Load(text, file, diagnostics);
        if (root is not YamlMappingNode mapping)
        {
            diagnostics.ThrowIfErrors();
            throw InvalidInputException.Of(DiagnosticCodes.WrongType, "deployment.yml must be a mapping (cluster-id, deployment-id, stack-source)", new SourceLocation(file, 1, 1));
        }

        var map = new YamlMap(mapping, file, diagnostics, "deployment.yml");
        map.RejectUnknownKeys(Keys);
        var clusterId = map.String("cluster-id");
        var deploymentId = map.String("deployment-id");
        var stackSource = map.String("stack-source");
        if (clusterId is null) diagnostics.Error(DiagnosticCodes.MissingKey, "deployment.yml has no 'cluster-id'", map.Location);
        else if (!DeploymentIds.IsValidClusterId(clusterId)) InvalidId(map, "cluster-id", clusterId, "lowercase letters, digits, '-', '_' or '.'");
        if (deploymentId is not null && !DeploymentIds.IsValid(deploymentId)) InvalidId(map, "deployment-id", deploymentId, "lowercase letters, digits, '-' or '_'");
        var specSource = map.String("spec-source");
        var laconicShaped = specSource is null && clusterId is not null && !clusterId.StartsWith(DeploymentIds.SlipwayPrefix, StringComparison.Ordinal)
            && (deploymentId is null || deploymentId.StartsWith(DeploymentIds.LaconicPrefix, StringComparison.Ordinal));
        if (stackSource is null && !laconicShaped) diagnostics.Error(DiagnosticCodes.MissingKey, "deployment.yml has no 'stack-source'", map.Location);
        diagnostics.ThrowIfErrors();

        // laconic-so's files from before the field have no deployment-id: there the cluster-id served as both.
        // Whether this file may fall back like that is the caller's decision (LooksWrittenByLaconicSo).
        return new DeploymentFile(clusterId!, deploymentId ?? clusterId!, stackSource ?? Path.GetDirectoryName(Path.GetFullPath(file))!, specSource)
        {
            DeploymentIdWritten = deploymentId is not null,
            StackSourceWritten = stackSource is not null,
        };
    }

    private static void InvalidId(YamlMap map, string key, string value, string characters) =>
        map.Diagnostics.Error(DiagnosticCodes.InvalidValue,
            $"deployment.yml: {key} '{value.ReplaceLineEndings("\\n")}' is not a valid id (1 to {DeploymentIds.MaxLength} {characters}, starting with a letter or digit)",
            map.ValueLocation(key));

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };
}
