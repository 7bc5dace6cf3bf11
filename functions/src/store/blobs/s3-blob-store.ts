import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { FileStore } from '../ports.ts';

export class S3BlobStore implements FileStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(bucket: string, client = new S3Client({})) {
    this.bucket = bucket;
    this.client = client;
  }

  async put(path: string, body: string | Uint8Array, options: { contentType: string; cacheControl: string; metadata?: Record<string, string> }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket, Key: path, Body: body, ContentType: options.contentType, CacheControl: options.cacheControl,
        ...(options.metadata ? { Metadata: options.metadata } : {}),
      }),
    );
  }

  async delete(path: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: path }));
  }

  async getBytes(path: string): Promise<Uint8Array | undefined> {
    try {
      const reply = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: path }));
      return await reply.Body?.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async get(path: string): Promise<string | undefined> {
    try {
      const reply = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: path }));
      return await reply.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
