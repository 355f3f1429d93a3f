using Xunit.Sdk;

namespace Slipway.TestKit.Tests;

public sealed class GoldenTests : IDisposable
{
    private readonly TempWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Equal_text_passes_whatever_the_line_endings()
    {
        _workspace.WriteFile("Golden/plan.txt", "line one\r\nline two\r\n");

        Golden.AssertMatchesIn(_workspace.Combine("Golden"), "line one\nline two\n", "plan.txt", update: false);

        Assert.False(File.Exists(_workspace.Combine("Golden", "plan.received.txt")));
    }

    [Fact]
    public void A_difference_fails_with_the_first_differing_line_and_writes_the_received_file()
    {
        _workspace.WriteFile("Golden/case/compose.yaml", "services:\n  web:\n    image: nginx:1.27\n");

        var failure = Assert.Throws<FailException>(
            () => Golden.AssertMatchesIn(_workspace.Combine("Golden"), "services:\n  web:\n    image: nginx:1.28\n", "case/compose.yaml", update: false));

        Assert.Contains("First difference at line 3:\n  expected:     image: nginx:1.27\n  actual:       image: nginx:1.28", failure.Message);
        Assert.Equal("services:\n  web:\n    image: nginx:1.28\n", _workspace.ReadFile("Golden/case/compose.received.yaml"));
        Assert.Equal("services:\n  web:\n    image: nginx:1.27\n", _workspace.ReadFile("Golden/case/compose.yaml"));
    }

    [Fact]
    public void Extra_lines_are_reported_against_the_end_of_the_golden()
    {
        _workspace.WriteFile("Golden/a.txt", "same");

        var failure = Assert.Throws<FailException>(() => Golden.AssertMatchesIn(_workspace.Combine("Golden"), "same\nextra", "a.txt", update: false));

        Assert.Contains("line 2:\n  expected: <end of file>\n  actual:   extra", failure.Message);
    }

    [Fact]
    public void A_missing_golden_fails_and_is_not_created()
    {
        var failure = Assert.Throws<FailException>(() => Golden.AssertMatchesIn(_workspace.Combine("Golden"), "new output", "new.txt", update: false));

        Assert.Contains("does not exist", failure.Message);
        Assert.False(File.Exists(_workspace.Combine("Golden", "new.txt")));
        Assert.Equal("new output", _workspace.ReadFile("Golden/new.received.txt"));
    }

    [Fact]
    public void Update_mode_writes_the_golden_with_unix_line_endings_and_removes_a_stale_received_file()
    {
        _workspace.WriteFile("Golden/plan.txt", "old\n");
        _workspace.WriteFile("Golden/plan.received.txt", "stale\n");

        Golden.AssertMatchesIn(_workspace.Combine("Golden"), "new\r\n", "plan.txt", update: true);

        Assert.Equal("new\n", _workspace.ReadFile("Golden/plan.txt"));
        Assert.False(File.Exists(_workspace.Combine("Golden", "plan.received.txt")));
    }

    [Fact]
    public void Goldens_are_found_under_the_project_directory_of_the_calling_source_file()
    {
        _workspace.WriteFile("Project/Project.csproj", "<Project />");
        _workspace.WriteFile("Project/Golden/Feature/help.txt", "usage: slipway\n");

        Golden.AssertMatches("usage: slipway\n", "Feature/help.txt", callerFile: _workspace.Combine("Project", "Feature", "FeatureTests.cs"));
    }

    [Theory]
    [InlineData("/g/compose.yaml", "/g/compose.received.yaml")]
    [InlineData("/g/plan.expected.txt", "/g/plan.expected.received.txt")]
    [InlineData("/g/README", "/g/README.received.txt")]
    public void Received_files_match_the_gitignored_received_pattern(string golden, string received)
    {
        Assert.Equal(received, Golden.ReceivedPathFor(golden));
    }
}
