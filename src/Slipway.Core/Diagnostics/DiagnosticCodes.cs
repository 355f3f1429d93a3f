namespace Slipway.Core.Diagnostics;

/// <summary>Stable codes for diagnostics, so users can search for them and tests can match them.</summary>
public static class DiagnosticCodes
{
    public const string YamlSyntax = "SW001";
    public const string UnknownKey = "SW002";
    public const string WrongType = "SW003";
    public const string MissingKey = "SW004";
    public const string InvalidValue = "SW005";
    public const string InvalidName = "SW006";
    public const string NotFound = "SW007";
    public const string PathEscapes = "SW008";
    public const string NotImplemented = "SW009";
    public const string UnknownReference = "SW010";
    public const string Interpolation = "SW011";
    public const string InvalidPort = "SW012";
    public const string NotApplicable = "SW013";
    public const string DotEnv = "SW014";
    public const string Conflict = "SW015";
}
