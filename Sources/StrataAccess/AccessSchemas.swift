import StrataCore
public import StrataSchema

/// The content types of Users & Permissions and of API tokens, as Strapi defines them.
public enum AccessSchemas {
    public static func contentTypes(parser: SchemaParser = SchemaParser()) throws -> [ContentType] {
        try [
            (UserService.userUID, user), (PermissionService.roleUID, role), (PermissionService.permissionUID, permission),
            (APITokenService.tokenUID, apiToken), (APITokenService.permissionUID, apiTokenPermission),
        ].map { uid, json in try parser.contentType(uid: uid, json: try JSONParser.parse(json)) }
    }

    static let user = #"""
    {
      "collectionName": "up_users",
      "info": { "name": "user", "description": "", "singularName": "user", "pluralName": "users", "displayName": "User" },
      "options": { "timestamps": true, "draftAndPublish": false },
      "attributes": {
        "username": { "type": "string", "minLength": 3, "unique": true, "configurable": false, "required": true },
        "email": { "type": "email", "minLength": 6, "configurable": false, "required": true },
        "provider": { "type": "string", "configurable": false },
        "password": { "type": "password", "minLength": 6, "configurable": false, "private": true, "searchable": false },
        "resetPasswordToken": { "type": "string", "configurable": false, "private": true, "searchable": false },
        "confirmationToken": { "type": "string", "configurable": false, "private": true, "searchable": false },
        "confirmed": { "type": "boolean", "default": false, "configurable": false },
        "blocked": { "type": "boolean", "default": false, "configurable": false },
        "role": { "type": "relation", "relation": "manyToOne", "target": "plugin::users-permissions.role", "inversedBy": "users", "configurable": false }
      }
    }
    """#

    static let role = #"""
    {
      "collectionName": "up_roles",
      "info": { "name": "role", "description": "", "singularName": "role", "pluralName": "roles", "displayName": "Role" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "name": { "type": "string", "minLength": 3, "required": true, "configurable": false },
        "description": { "type": "string", "configurable": false },
        "type": { "type": "string", "unique": true, "configurable": false },
        "permissions": { "type": "relation", "relation": "oneToMany", "target": "plugin::users-permissions.permission", "mappedBy": "role", "configurable": false },
        "users": { "type": "relation", "relation": "oneToMany", "target": "plugin::users-permissions.user", "mappedBy": "role", "configurable": false }
      }
    }
    """#

    static let permission = #"""
    {
      "collectionName": "up_permissions",
      "info": { "name": "permission", "description": "", "singularName": "permission", "pluralName": "permissions", "displayName": "Permission" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "action": { "type": "string", "required": true, "configurable": false },
        "role": { "type": "relation", "relation": "manyToOne", "target": "plugin::users-permissions.role", "inversedBy": "permissions", "configurable": false }
      }
    }
    """#

    static let apiToken = #"""
    {
      "collectionName": "strapi_api_tokens",
      "info": { "name": "Api Token", "singularName": "api-token", "pluralName": "api-tokens", "displayName": "Api Token", "description": "" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "name": { "type": "string", "minLength": 1, "configurable": false, "required": true, "unique": true },
        "description": { "type": "string", "minLength": 1, "configurable": false, "required": false, "default": "" },
        "type": { "type": "enumeration", "enum": ["read-only", "full-access", "custom"], "configurable": false, "required": true, "default": "read-only" },
        "accessKey": { "type": "string", "minLength": 1, "configurable": false, "required": true, "searchable": false },
        "encryptedKey": { "type": "text", "minLength": 1, "configurable": false, "required": false, "searchable": false },
        "lastUsedAt": { "type": "datetime", "configurable": false, "required": false },
        "permissions": { "type": "relation", "target": "admin::api-token-permission", "relation": "oneToMany", "mappedBy": "token", "configurable": false, "required": false },
        "expiresAt": { "type": "datetime", "configurable": false, "required": false },
        "lifespan": { "type": "biginteger", "configurable": false, "required": false }
      }
    }
    """#

    static let apiTokenPermission = #"""
    {
      "collectionName": "strapi_api_token_permissions",
      "info": { "name": "API Token Permission", "description": "", "singularName": "api-token-permission", "pluralName": "api-token-permissions", "displayName": "API Token Permission" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "action": { "type": "string", "minLength": 1, "configurable": false, "required": true },
        "token": { "configurable": false, "type": "relation", "relation": "manyToOne", "inversedBy": "permissions", "target": "admin::api-token" }
      }
    }
    """#
}
