import Foundation
public import StrataUpload

extension StrataProject {
    /// The upload provider `config/plugins.json` names (`upload.config.provider`): `local` (the
    /// default) stores under `public/uploads`, `aws-s3` in an S3-compatible bucket.
    public func uploadProvider(_ configuration: UploadConfiguration) throws -> any UploadProvider {
        switch configuration.provider {
        case "local":
            return LocalUploadProvider(directory: publicDirectory + "/uploads")
        case "aws-s3":
            do {
                return try S3UploadProvider(options: configuration.providerOptions)
            } catch let error as UploadConfigurationError {
                throw ConfigurationError("config/plugins.json: \(error.description)")
            }
        default:
            throw ConfigurationError("config/plugins.json: unknown upload provider \(configuration.provider.debugDescription) (Strata has `local` and `aws-s3`)")
        }
    }
}
