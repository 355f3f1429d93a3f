using Slipway.Core.Files;
using Slipway.Infrastructure.Files;

namespace Slipway.Core.Tests.Architecture;

/// <summary>Slipway.Core is the pure core: every file it reads comes through <see cref="IHostFiles"/>, and it starts no process and writes no console.</summary>
public sealed class CorePurityTests
{
    private static string CoreAssembly => typeof(IHostFiles).Assembly.Location;

    private static string InfrastructureAssembly => typeof(DiskHostFiles).Assembly.Location;

    [Fact]
    public void Core_references_no_file_system_process_or_console_api_and_no_shell_assembly()
    {
        Assert.Empty(ForbiddenReferences.In(CoreAssembly));
    }

    [Fact]
    public void The_checker_finds_the_file_and_process_use_of_Infrastructure()
    {
        var found = ForbiddenReferences.In(InfrastructureAssembly);

        Assert.Contains("type System.IO.File", found);
        Assert.Contains("type System.IO.Directory", found);
        Assert.Contains("type System.Diagnostics.Process", found);
    }

    [Fact]
    public void The_checker_finds_a_reference_to_the_shell_assembly()
    {
        Assert.Contains("assembly Slipway.Infrastructure", ForbiddenReferences.In(typeof(CorePurityTests).Assembly.Location));
    }
}
