// The library as one import for other tools and the tests: every layer, from the git layer to the renderers.
@_exported import GitKit
@_exported import ISMSCore
@_exported import ISMSHistory
@_exported import ISMSLoading
@_exported import ISMSModel
@_exported import ISMSOutput
@_exported import ISMSRules
