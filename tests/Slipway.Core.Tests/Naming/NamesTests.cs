using Slipway.Core.Kubernetes;

namespace Slipway.Core.Tests.Naming;

/// <summary>Validation is exact: '$' in .NET matches before a final newline, so every name rule ends with \z.</summary>
public sealed class NamesTests
{
    [Theory]
    [InlineData("web\n")]
    [InlineData("web\r\n")]
    [InlineData("\nweb")]
    public void A_name_with_a_line_break_is_never_valid(string name)
    {
        Assert.False(Names.IsValidStackName(name));
        Assert.False(Names.IsValidComponentName(name));
        Assert.False(Names.IsValidEnvName(name.ToUpperInvariant()));
        Assert.False(KubeNames.IsDnsLabel(name));
        Assert.False(KubeNames.IsLabelValue(name));
        Assert.False(KubeNames.IsConfigKey(name));
        Assert.False(Quantities.IsValid("1Gi" + name[^1]));
    }

    [Fact]
    public void The_same_names_without_the_line_break_are_valid()
    {
        Assert.True(Names.IsValidStackName("web"));
        Assert.True(Names.IsValidComponentName("web"));
        Assert.True(Names.IsValidEnvName("WEB"));
    }
}
