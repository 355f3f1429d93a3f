using Slipway.Core.Diagnostics;
using Slipway.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Slipway.Core.Deployments;

/// <summary><c>D/deployment.yml</c>: who this deployment is. Written once by deploy create; never touched by updates.</summary>
public sealed record DeploymentFile(string ClusterId, string DeploymentId, string StackSource, string? SpecSource)
{
    private static readonly string[] Keys = ["cluster-id", "deployment-id", "stack-source", "spec-source"];

    public string Render()
    {
        var root = new YamlMappingNode
        {
            { "cluster-id", ClusterId },
            { "deployment-id", DeploymentId },
            { "stack-source", Quoted(StackSource) },
        };
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
        var stackSource = map.String("stack-source");
        if (clusterId is null) diagnostics.Error(DiagnosticCodes.MissingKey, "deployment.yml has no 'cluster-id'", map.Location);
        if (stackSource is null) diagnostics.Error(DiagnosticCodes.MissingKey, "deployment.yml has no 'stack-source'", map.Location);
        diagnostics.ThrowIfErrors();

        // Legacy laconic-so files have no deployment-id: the cluster-id served as both.
        return new DeploymentFile(clusterId!, map.String("deployment-id") ?? clusterId!, stackSource!, map.String("spec-source"));
    }

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };
}
