using Slipway.Core.Compose;
using Slipway.Core.Config;
using Slipway.Core.Deployments;
using Slipway.Core.Diagnostics;
using Slipway.Core.Fleet;
using Slipway.Core.Specs;
using Slipway.Core.Stacks;
using Slipway.TestKit;

namespace Slipway.Core.Tests.Parsing;

/// <summary>
/// Every file in Fixtures/ParseErrors is parsed by the parser its name says (*.spec.yml, *.stack.yml, *.compose.yml,
/// *.deployment.yml, *.env, *.fleet.yml);
/// the messages, all at once with file:line:column, must match Golden/ParseErrors/&lt;name&gt;.txt. A new case needs no code.
/// </summary>
public sealed class ParseErrorGoldenTests
{
    public static TheoryData<string> Cases() =>
        new(Directory.EnumerateFiles(TestFiles.Fixture("ParseErrors")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Messages_match_the_golden_file(string name)
    {
        var diagnostics = new DiagnosticBag();
        var text = File.ReadAllText(TestFiles.Fixture("ParseErrors", name));
        Parse(name, text, diagnostics);

        var rendered = string.Join("\n", diagnostics.Sorted().Select(d => d.ToString())) + "\n";
        Golden.AssertMatches(rendered, Path.Combine("ParseErrors", Path.ChangeExtension(name, ".txt")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_error_names_file_line_and_column(string name)
    {
        var diagnostics = new DiagnosticBag();
        Parse(name, File.ReadAllText(TestFiles.Fixture("ParseErrors", name)), diagnostics);

        Assert.True(diagnostics.HasErrors || diagnostics.Items.Count > 0, "a ParseErrors fixture must produce findings");
        Assert.All(diagnostics.Items, d =>
        {
            Assert.NotNull(d.Location);
            Assert.Equal(name, d.Location!.File);
            Assert.True(d.Location.Line >= 1 && d.Location.Column >= 1);
        });
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void No_message_is_a_raw_resource_key_or_quotes_a_secret(string name)
    {
        var diagnostics = new DiagnosticBag();
        Parse(name, File.ReadAllText(TestFiles.Fixture("ParseErrors", name)), diagnostics);

        Assert.All(diagnostics.Items, d =>
        {
            Assert.DoesNotMatch(@"\b[A-Z][A-Za-z]+_[A-Z][A-Za-z_]+\b", d.Message);
            Assert.DoesNotContain("internal error", d.Message, StringComparison.OrdinalIgnoreCase);
            // The corpus marks every secret value with "sekrit" or "hunter2".
            Assert.DoesNotContain("sekrit", d.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", d.Message, StringComparison.Ordinal);
        });
    }

    private static void Parse(string name, string text, DiagnosticBag diagnostics)
    {
        if (name.EndsWith(".spec.yml", StringComparison.Ordinal))
        {
            SpecParser.Parse(text, name, diagnostics);
        }
        else if (name.EndsWith(".deployment.yml", StringComparison.Ordinal))
        {
            try
            {
                DeploymentFile.Parse(text, name);
            }
            catch (InvalidInputException ex)
            {
                diagnostics.AddRange(ex.Diagnostics);
            }
        }
        else if (name.EndsWith(".env", StringComparison.Ordinal))
        {
            // Read as bytes: the corpus holds invalid UTF-8 that text would have replaced already.
            DotEnvFile.Read(File.ReadAllBytes(TestFiles.Fixture("ParseErrors", name)), name, diagnostics);
        }
        else if (name.EndsWith(".fleet.yml", StringComparison.Ordinal))
        {
            InventoryParser.Parse(text, name, diagnostics);
        }
        else if (name.EndsWith(".stack.yml", StringComparison.Ordinal))
        {
            StackParser.Parse(text, name, diagnostics);
        }
        else
        {
            ComposeParser.Parse(text, name, diagnostics, _ => null);
        }
    }
}
