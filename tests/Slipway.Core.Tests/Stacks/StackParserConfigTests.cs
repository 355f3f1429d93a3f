using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

/// <summary>The stack's config: directives are read into (destination, variable, source, variable), with the place of each.</summary>
public sealed class StackParserConfigTests
{
    [Fact]
    public void Config_directives_are_read_in_file_order()
    {
        var diagnostics = new DiagnosticBag();
        var stack = StackParser.Parse("pods: [a]\nconfig:\n  consumer:\n    PEER_ID: producer.NODE_ID\n    TOKEN: vault.ROOT_TOKEN\n", "/s/stack.yml", diagnostics);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(
            [("consumer", "PEER_ID", "producer", "NODE_ID"), ("consumer", "TOKEN", "vault", "ROOT_TOKEN")],
            stack.Config.Select(d => (d.Destination, d.DestinationVariable, d.Source, d.SourceVariable)));
        Assert.Equal("/docker-entrypoint-scripts.d/export-NODE_ID.sh", stack.Config[0].ExportScript);
        Assert.Equal("/scripts/import-PEER_ID.sh", stack.Config[0].ImportScript);
    }

    [Fact]
    public void A_source_without_a_service_part_is_an_error_at_its_value()
    {
        var diagnostics = new DiagnosticBag();
        StackParser.Parse("pods: [a]\nconfig:\n  consumer:\n    PEER_ID: NODE_ID\n", "/s/stack.yml", diagnostics);

        var error = Assert.Single(diagnostics.Items, d => d.IsError);
        Assert.Contains("SERVICE.VARIABLE", error.Message);
        Assert.Equal(4, error.Location!.Line);
    }
}
