import Foundation

/// Scaffolds new projects (`strata new`): the folder layout of a Strapi project, JSON config
/// files with environment interpolation, and optionally the blog example's schemas.
public enum ProjectTemplate {
    public enum Example: String, Sendable, CaseIterable {
        case blog
    }

    /// Writes a new project into `directory`, which must not exist or be empty.
    public static func create(at directory: String, example: Example?) throws {
        let root = URL(fileURLWithPath: directory)
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root.path), !existing.isEmpty {
            throw ConfigurationError("\(root.path) already exists and is not empty")
        }
        var files = baseFiles
        if example == .blog { files.merge(blogFiles) { _, new in new } }
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
        for folder in ["src/api", "src/components", "public/uploads", ".tmp"] {
            try FileManager.default.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
    }

    static let baseFiles: [String: String] = [
        "config/server.json": """
            {
              "host": "${HOST:-0.0.0.0}",
              "port": "${PORT:-1337}"
            }

            """,
        "config/database.json": """
            {
              "connection": {
                "client": "${DATABASE_CLIENT:-sqlite}",
                "connection": {
                  "filename": "${DATABASE_FILENAME:-.tmp/data.db}"
                }
              }
            }

            """,
        "config/api.json": """
            {
              "rest": {
                "defaultLimit": 25,
                "maxLimit": 100,
                "withCount": true
              }
            }

            """,
        "config/admin.json": """
            {
              "auth": {
                "secret": "${ADMIN_JWT_SECRET}"
              },
              "apiToken": {
                "salt": "${API_TOKEN_SALT}"
              }
            }

            """,
        "config/plugins.json": """
            {
              "users-permissions": {
                "config": {
                  "jwtSecret": "${JWT_SECRET}"
                }
              }
            }

            """,
        ".env.example": "HOST=0.0.0.0\nPORT=1337\n# Generated into .env on first start when missing:\n# JWT_SECRET=\n# API_TOKEN_SALT=\n",
        ".gitignore": ".tmp/\n.env\npublic/uploads/*\n!public/uploads/.gitkeep\n",
        "public/robots.txt": "# To prevent search engines from seeing the site altogether, uncomment the next two lines:\n# User-Agent: *\n# Disallow: /\n",
        "public/uploads/.gitkeep": "",
        "README.md": "# A Strata project\n\nStart it with `strata develop` from this folder. The REST API is served at http://localhost:1337/api.\n",
    ]

    static let blogFiles: [String: String] = [
        "src/api/article/content-types/article/schema.json": """
            {
              "kind": "collectionType",
              "collectionName": "articles",
              "info": {
                "singularName": "article",
                "pluralName": "articles",
                "displayName": "Article",
                "description": "Blog posts"
              },
              "options": {
                "draftAndPublish": true
              },
              "pluginOptions": {},
              "attributes": {
                "title": {
                  "type": "string"
                },
                "description": {
                  "type": "text",
                  "maxLength": 80
                },
                "slug": {
                  "type": "uid",
                  "targetField": "title"
                },
                "cover": {
                  "type": "media",
                  "multiple": false,
                  "allowedTypes": ["images", "files", "videos"]
                },
                "author": {
                  "type": "relation",
                  "relation": "manyToOne",
                  "target": "api::author.author",
                  "inversedBy": "articles"
                },
                "category": {
                  "type": "relation",
                  "relation": "manyToOne",
                  "target": "api::category.category",
                  "inversedBy": "articles"
                },
                "blocks": {
                  "type": "dynamiczone",
                  "components": ["shared.media", "shared.quote", "shared.rich-text", "shared.slider"]
                }
              }
            }

            """,
        "src/api/author/content-types/author/schema.json": """
            {
              "kind": "collectionType",
              "collectionName": "authors",
              "info": {
                "singularName": "author",
                "pluralName": "authors",
                "displayName": "Author"
              },
              "options": {
                "draftAndPublish": false
              },
              "attributes": {
                "name": {
                  "type": "string"
                },
                "avatar": {
                  "type": "media",
                  "multiple": false,
                  "allowedTypes": ["images"]
                },
                "email": {
                  "type": "email"
                },
                "articles": {
                  "type": "relation",
                  "relation": "oneToMany",
                  "target": "api::article.article",
                  "mappedBy": "author"
                }
              }
            }

            """,
        "src/api/category/content-types/category/schema.json": """
            {
              "kind": "collectionType",
              "collectionName": "categories",
              "info": {
                "singularName": "category",
                "pluralName": "categories",
                "displayName": "Category"
              },
              "options": {
                "draftAndPublish": false
              },
              "attributes": {
                "name": {
                  "type": "string"
                },
                "slug": {
                  "type": "uid"
                },
                "description": {
                  "type": "text"
                },
                "articles": {
                  "type": "relation",
                  "relation": "oneToMany",
                  "target": "api::article.article",
                  "mappedBy": "category"
                }
              }
            }

            """,
        "src/api/global/content-types/global/schema.json": """
            {
              "kind": "singleType",
              "collectionName": "globals",
              "info": {
                "singularName": "global",
                "pluralName": "globals",
                "displayName": "Global",
                "description": "Site-wide settings"
              },
              "options": {
                "draftAndPublish": false
              },
              "attributes": {
                "siteName": {
                  "type": "string",
                  "required": true
                },
                "favicon": {
                  "type": "media",
                  "multiple": false,
                  "allowedTypes": ["images", "files", "videos"]
                },
                "siteDescription": {
                  "type": "text",
                  "required": true
                },
                "defaultSeo": {
                  "type": "component",
                  "repeatable": false,
                  "component": "shared.seo"
                }
              }
            }

            """,
        "src/components/shared/seo.json": """
            {
              "collectionName": "components_shared_seos",
              "info": {
                "displayName": "Seo",
                "icon": "allergies",
                "name": "Seo",
                "description": ""
              },
              "options": {},
              "attributes": {
                "metaTitle": {
                  "type": "string",
                  "required": true
                },
                "metaDescription": {
                  "type": "text",
                  "required": true
                },
                "shareImage": {
                  "type": "media",
                  "multiple": false,
                  "allowedTypes": ["images"]
                }
              }
            }

            """,
        "src/components/shared/media.json": """
            {
              "collectionName": "components_shared_media",
              "info": {
                "displayName": "Media",
                "icon": "file-video"
              },
              "options": {},
              "attributes": {
                "file": {
                  "type": "media",
                  "multiple": false,
                  "allowedTypes": ["images", "files", "videos"]
                }
              }
            }

            """,
        "src/components/shared/quote.json": """
            {
              "collectionName": "components_shared_quotes",
              "info": {
                "displayName": "Quote",
                "icon": "indent"
              },
              "options": {},
              "attributes": {
                "title": {
                  "type": "string"
                },
                "body": {
                  "type": "text"
                }
              }
            }

            """,
        "src/components/shared/rich-text.json": """
            {
              "collectionName": "components_shared_rich_texts",
              "info": {
                "displayName": "Rich text",
                "icon": "align-justify",
                "description": ""
              },
              "options": {},
              "attributes": {
                "body": {
                  "type": "richtext"
                }
              }
            }

            """,
        "src/components/shared/slider.json": """
            {
              "collectionName": "components_shared_sliders",
              "info": {
                "displayName": "Slider",
                "icon": "address-book",
                "description": ""
              },
              "options": {},
              "attributes": {
                "files": {
                  "type": "media",
                  "multiple": true,
                  "allowedTypes": ["images"]
                }
              }
            }

            """,
    ]
}
