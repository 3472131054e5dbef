import StrataCore
import StrataSchema

/// Content types Strata always has, as Strapi's bundled plugins define them: the upload plugin's
/// files and folders (the targets of every `media` attribute).
enum BuiltInSchemas {
    static func contentTypes(parser: SchemaParser = SchemaParser()) throws -> [ContentType] {
        try [
            parser.contentType(uid: try UID("plugin::upload.file"), json: try JSONParser.parse(file)),
            parser.contentType(uid: try UID("plugin::upload.folder"), json: try JSONParser.parse(folder)),
            parser.contentType(uid: try UID("plugin::i18n.locale"), json: try JSONParser.parse(locale)),
        ]
    }

    static let file = #"""
    {
      "collectionName": "files",
      "info": { "singularName": "file", "pluralName": "files", "displayName": "File", "description": "" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "name": { "type": "string", "configurable": false, "required": true },
        "alternativeText": { "type": "string", "configurable": false },
        "caption": { "type": "string", "configurable": false },
        "width": { "type": "integer", "configurable": false },
        "height": { "type": "integer", "configurable": false },
        "formats": { "type": "json", "configurable": false },
        "hash": { "type": "string", "configurable": false, "required": true },
        "ext": { "type": "string", "configurable": false },
        "mime": { "type": "string", "configurable": false, "required": true },
        "size": { "type": "decimal", "configurable": false, "required": true },
        "url": { "type": "string", "configurable": false, "required": true },
        "previewUrl": { "type": "string", "configurable": false },
        "provider": { "type": "string", "configurable": false, "required": true },
        "provider_metadata": { "type": "json", "configurable": false },
        "related": { "type": "relation", "relation": "morphToMany", "configurable": false },
        "folder": { "type": "relation", "relation": "manyToOne", "target": "plugin::upload.folder", "inversedBy": "files", "private": true },
        "folderPath": { "type": "string", "minLength": 1, "required": true, "private": true, "searchable": false }
      },
      "indexes": [
        { "name": "upload_files_folder_path_index", "columns": ["folder_path"] },
        { "name": "upload_files_created_at_index", "columns": ["created_at"] },
        { "name": "upload_files_updated_at_index", "columns": ["updated_at"] },
        { "name": "upload_files_name_index", "columns": ["name"] },
        { "name": "upload_files_size_index", "columns": ["size"] },
        { "name": "upload_files_ext_index", "columns": ["ext"] }
      ]
    }
    """#

    static let locale = #"""
    {
      "collectionName": "i18n_locale",
      "info": { "singularName": "locale", "pluralName": "locales", "collectionName": "locales", "displayName": "Locale", "description": "" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "name": { "type": "string", "min": 1, "max": 50, "configurable": false },
        "code": { "type": "string", "unique": true, "configurable": false }
      }
    }
    """#

    static let folder = #"""
    {
      "collectionName": "upload_folders",
      "info": { "singularName": "folder", "pluralName": "folders", "displayName": "Folder" },
      "options": { "draftAndPublish": false },
      "pluginOptions": { "content-manager": { "visible": false }, "content-type-builder": { "visible": false } },
      "attributes": {
        "name": { "type": "string", "minLength": 1, "required": true },
        "pathId": { "type": "integer", "unique": true, "required": true },
        "parent": { "type": "relation", "relation": "manyToOne", "target": "plugin::upload.folder", "inversedBy": "children" },
        "children": { "type": "relation", "relation": "oneToMany", "target": "plugin::upload.folder", "mappedBy": "parent" },
        "files": { "type": "relation", "relation": "oneToMany", "target": "plugin::upload.file", "mappedBy": "folder" },
        "path": { "type": "string", "minLength": 1, "required": true }
      },
      "indexes": [
        { "name": "upload_folders_path_id_index", "columns": ["path_id"], "type": "unique" },
        { "name": "upload_folders_path_index", "columns": ["path"], "type": "unique" }
      ]
    }
    """#
}
