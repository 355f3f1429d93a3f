using Slipway.Core.Stacks;
using Slipway.IntegrationTests.Infrastructure;
using Slipway.TestKit;

namespace Slipway.IntegrationTests.StackMode;

/// <summary>The stack's config: directives after up, on the real Docker Engine: a source's exported value reaches the destination's import script.</summary>
[Collection(SideBySideCollection.Name)]
public sealed class ConfigDirectiveTests : IAsyncLifetime
{
    private readonly TempWorkspace _workspace = new();
    private string _project = "";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_project.Length > 0) await Docker.RunAsync("compose", "--project-name", _project, "down", "--volumes", "--remove-orphans", "--timeout", "2");
        _workspace.Dispose();
    }

    [Fact]
    public async Task Up_hands_the_exported_value_to_the_import_script_of_the_destination()
    {
        _workspace.WriteFile("cfg/stack.yml", "version: \"1.0\"\nname: cfg\npods:\n  - pair\nconfig:\n  consumer:\n    PEER_ID: producer.NODE_ID\n");
        _workspace.WriteFile("cfg/compose/docker-compose-pair.yml", """
            services:
              producer:
                image: slipway/hello:local
                command: ["counter"]
                volumes:
                  - ./export-NODE_ID.sh:/docker-entrypoint-scripts.d/export-NODE_ID.sh:ro
              consumer:
                image: slipway/hello:local
                command: ["counter"]
                volumes:
                  - ./import-PEER_ID.sh:/scripts/import-PEER_ID.sh:ro
                  - ./out:/out
            """);
        _workspace.WriteFile("cfg/compose/export-NODE_ID.sh", "echo node-7f3a\n");
        _workspace.WriteFile("cfg/compose/import-PEER_ID.sh", "echo \"imported $1\" > /out/peer\n");
        Directory.CreateDirectory(_workspace.Combine("cfg", "compose", "out"));
        var stack = _workspace.Combine("cfg");
        _project = StackSelection.DefaultProjectName(stack, null, null);

        var up = await SlipwayCommand.RunAsync("--stack", stack, "deploy", "up");

        Assert.Equal("imported node-7f3a\n", await File.ReadAllTextAsync(_workspace.Combine("cfg", "compose", "out", "peer")));
        Assert.Contains("config: producer.NODE_ID", up.StandardError);
        Assert.DoesNotContain("not implemented", up.StandardError);
    }
}
