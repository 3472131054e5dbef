import ArgumentParser
import Foundation
import StrataAccess
import StrataCore
import StrataDocuments
import StrataServer
import StrataUsersPermissions

struct RolesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roles:list", abstract: "List Users & Permissions roles and their permissions.")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let roles = try await ProjectSession.withApplication(options) { app in
            var result: [(PermissionService.Role, [String])] = []
            for role in try await app.usersPermissions.permissions.allRoles() {
                result.append((role, try await app.usersPermissions.permissions.actions(roleID: role.id).sorted()))
            }
            return result
        }
        if json {
            print(JSONWriter.prettyString(.array(roles.map { role, actions in
                .object(["id": .int(role.id), "name": .string(role.name), "type": .string(role.type), "permissions": .array(actions.map { .string($0) })])
            })))
            return
        }
        for (role, actions) in roles {
            print("\(role.type) (\(role.name)): \(actions.isEmpty ? "no permissions" : "")")
            for action in actions { print("  \(action)") }
        }
    }
}

struct RolesGrant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roles:grant", abstract: "Allow a role to run actions, e.g. `roles:grant public api::article.article.find`.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The role type: public, authenticated, or a custom role's type.")
    var role: String

    @Argument(help: "Permission actions (api::<api>.<type>.find|findOne|create|update|delete, plugin actions).")
    var actions: [String]

    func run() async throws {
        try await ProjectSession.withApplication(options) { app in
            for action in actions {
                guard app.knownActions.contains(action) else { throw ExitCode.fail("Unknown action \(action); see `strata routes:list`") }
                try await app.usersPermissions.permissions.grant(roleType: role, action: action)
            }
        }
        print("Granted \(actions.joined(separator: ", ")) to \(role).")
    }
}

struct RolesRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "roles:revoke", abstract: "Remove actions from a role.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The role type.")
    var role: String

    @Argument(help: "Permission actions.")
    var actions: [String]

    func run() async throws {
        try await ProjectSession.withApplication(options) { app in
            for action in actions { try await app.usersPermissions.permissions.revoke(roleType: role, action: action) }
        }
        print("Revoked \(actions.joined(separator: ", ")) from \(role).")
    }
}

struct APITokensCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-tokens:create", abstract: "Create an API token; its key is printed once.")

    @OptionGroup var options: ProjectOptions

    @Option(help: "A unique name.")
    var name: String

    @Option(help: "read-only, full-access or custom.")
    var type: String = "read-only"

    @Option(help: "Days until it expires: 7, 30 or 90 (default: never).")
    var duration: Int?

    @Option(help: "For custom tokens: an action it may run (repeatable).")
    var permission: [String] = []

    @Option(help: "A description.")
    var description: String = ""

    @Flag(help: "Print one JSON object with an accessKey field.")
    var json = false

    func run() async throws {
        guard let tokenType = APITokenType(rawValue: type) else { throw ExitCode.fail("--type must be read-only, full-access or custom") }
        let (token, key) = try await ProjectSession.withApplication(options) { app in
            try await app.tokens.create(name: name, description: description, type: tokenType, permissions: permission, lifespanDays: duration, knownActions: app.knownActions)
        }
        if json {
            var object = token
            object["accessKey"] = .string(key)
            print(JSONWriter.string(.object(object)))
            return
        }
        print("Created the \(type) token \"\(name)\". Its key (shown only now):\n\(key)")
    }
}

struct APITokensList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-tokens:list", abstract: "List API tokens (never their keys).")

    @OptionGroup var options: ProjectOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let tokens = try await ProjectSession.withApplication(options) { try await $0.tokens.list() }
        if json {
            print(JSONWriter.prettyString(.array(tokens.map { .object($0) })))
            return
        }
        printTable(["id", "name", "type", "expiresAt", "lastUsedAt"], tokens.map { token in
            [token["id"].map { JSONWriter.string($0) } ?? "", token["name"]?.stringValue ?? "", token["type"]?.stringValue ?? "",
             token["expiresAt"]?.stringValue ?? "never", token["lastUsedAt"]?.stringValue ?? ""]
        })
    }
}

struct APITokensRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-tokens:revoke", abstract: "Delete an API token by id or name.")

    @OptionGroup var options: ProjectOptions

    @Argument(help: "The token's id or name.")
    var token: String

    func run() async throws {
        let revoked = try await ProjectSession.withApplication(options) { try await $0.tokens.revoke(token) }
        guard revoked != nil else { throw ExitCode.fail("No API token \(token)") }
        print("Revoked \(token).")
    }
}
