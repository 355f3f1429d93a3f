using Slipway.Core.Diagnostics;
using Slipway.Core.Stacks;

namespace Slipway.Core.Tests.Stacks;

public sealed class StackParserTests
{
    private static (StackDefinition Definition, DiagnosticBag Diagnostics) Parse(string text)
    {
        var diagnostics = new DiagnosticBag();
        return (StackParser.Parse(text, "stack.yml", diagnostics), diagnostics);
    }

    [Fact]
    public void String_pods_are_names_with_their_location()
    {
        var (stack, diagnostics) = Parse("""
            version: "1.0"
            name: test
            description: a test stack
            pods:
              - test
              - db
            """);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["test", "db"], stack.Pods.Select(p => p.Name));
        Assert.All(stack.Pods, p => Assert.False(p.IsExternal));
        Assert.Equal(new SourceLocation("stack.yml", 5, 5), stack.Pods[0].Location);
        Assert.Equal("1.0", stack.Version);
        Assert.Equal("test", stack.Name);
        Assert.Equal("a test stack", stack.Description);
    }

    [Fact]
    public void Dict_pods_carry_repository_and_path()
    {
        var (stack, diagnostics) = Parse("""
            pods:
              - name: mobymask
                repository: github.com/cerc-io/mobymask-v2
                path: mobymask-app
              - name: local
                repository: internal
            """);

        Assert.Empty(diagnostics.Items);
        var external = stack.Pods[0];
        Assert.Equal("mobymask", external.Name);
        Assert.Equal("github.com/cerc-io/mobymask-v2", external.Repository);
        Assert.Equal("mobymask-app", external.Path);
        Assert.True(external.IsExternal);
        Assert.False(stack.Pods[1].IsExternal);
    }

    [Fact]
    public void Pre_and_post_start_commands_are_read_without_a_warning()
    {
        var (stack, diagnostics) = Parse("""
            pods:
              - name: web
                pre_start_command: pre.sh
                post_start_command: post.sh
            """);

        Assert.Equal("pre.sh", stack.Pods[0].PreStartCommand);
        Assert.Equal("post.sh", stack.Pods[0].PostStartCommand);
        Assert.Empty(diagnostics.Items);
    }

    [Fact]
    public void Jobs_may_be_strings_or_mappings_with_a_name()
    {
        var (stack, diagnostics) = Parse("""
            pods: [web]
            jobs:
              - migrate
              - name: backfill
            """);

        Assert.Empty(diagnostics.Items);
        Assert.Equal(["migrate", "backfill"], stack.Jobs);
    }

    [Fact]
    public void Lists_of_repos_containers_and_npms_are_kept_in_order()
    {
        var (stack, diagnostics) = Parse("""
            repos: [github.com/a/one, github.com/a/two]
            containers: [cerc/test-container, cerc/other]
            npms: [pkg]
            pods: [web]
            """);

        // build-npms builds the npms: nothing to warn about.
        Assert.Empty(diagnostics.Items);
        Assert.Equal(["github.com/a/one", "github.com/a/two"], stack.Repos);
        Assert.Equal(["cerc/test-container", "cerc/other"], stack.Containers);
        Assert.Equal(["pkg"], stack.Npms);
    }

    [Fact]
    public void A_stack_config_directive_that_names_no_source_service_is_an_error_at_its_value()
    {
        var (_, diagnostics) = Parse("""
            pods: [web]
            config:
              web:
                KEY: value
            """);

        var error = Assert.Single(diagnostics.Items);
        Assert.True(error.IsError);
        Assert.Equal(new SourceLocation("stack.yml", 4, 10), error.Location);
    }

    [Theory]
    [InlineData("name: web\n", DiagnosticCodes.MissingKey)]
    [InlineData("pods: web\n", DiagnosticCodes.WrongType)]
    [InlineData("pods: [web]\njobs: [\"bad job\"]\n", DiagnosticCodes.InvalidName)]
    [InlineData("pods: [web]\nname: Web\n", DiagnosticCodes.InvalidName)]
    [InlineData("pods: [web, web]\n", DiagnosticCodes.Conflict)]
    [InlineData("pods: [{repository: internal}]\n", DiagnosticCodes.MissingKey)]
    [InlineData("pods: [[web]]\n", DiagnosticCodes.WrongType)]
    [InlineData("- web\n", DiagnosticCodes.WrongType)]
    [InlineData("pods: [web]\ncontainer: [x]\n", DiagnosticCodes.UnknownKey)]
    public void Malformed_stacks_are_reported_with_the_right_code(string text, string code)
    {
        var (_, diagnostics) = Parse(text);

        var error = Assert.Single(diagnostics.Items, d => d.IsError);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Unknown_key_is_reported_with_the_nearest_known_key()
    {
        var (_, diagnostics) = Parse("pods: [web]\ncontainer: [x]\n");

        var error = Assert.Single(diagnostics.Items);
        Assert.Equal("did you mean 'containers'?", error.Hint);
        Assert.Equal(new SourceLocation("stack.yml", 2, 1), error.Location);
    }
}
