using Slipway.Core.Diagnostics;

namespace Slipway.Core.Stacks;

/// <summary>
/// One of the stack's <c>config:</c> directives, <c>config: {DEST: {DEST_VAR: "SOURCE.SOURCE_VAR"}}</c>: after up,
/// the value <c>sh /docker-entrypoint-scripts.d/export-SOURCE_VAR.sh</c> prints in service SOURCE is handed to
/// <c>sh /scripts/import-DEST_VAR.sh VALUE</c> in service DEST.
/// </summary>
public sealed record ConfigDirective(string Destination, string DestinationVariable, string Source, string SourceVariable, SourceLocation Location)
{
    public string ExportScript => $"/docker-entrypoint-scripts.d/export-{SourceVariable}.sh";

    public string ImportScript => $"/scripts/import-{DestinationVariable}.sh";
}
